import Type, { type TSchema } from 'typebox'

/** Field schemas shared by several operations, with the vocabulary of the wire (Portuguese). */

/** A field that holds a value of `schema` or null (an answer's field with nothing to show). */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** The largest 32-bit signed integer: a count that every store and client keeps as an integer. */
export const MAX_INT32 = 2_147_483_647

// Identity fields (user, session, correlation ids, e-mail, CPF) carry no example: Swagger UI
// would fill it into every request, and a fixed id makes the second "Try it out" a duplicate.
export const UserId = Type.Integer({
  minimum: 1,
  maximum: Number.MAX_SAFE_INTEGER,
  description:
    'user id: a positive integer, at most 2^53 − 1 so that it survives JSON in every client. Use the `usuario.user_id` of a `POST /usuarios` answer.'
})

export const ContentId = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,64}$',
  description: 'content id: letters, digits, _ or -, at most 64',
  examples: ['c-48213']
})

export const SessionId = Type.String({ format: 'uuid', description: 'session id (UUID)' })

export const CorrelationId = Type.String({
  format: 'uuid',
  description: 'id shared by an operation request and its reply'
})

export const IsoDateTime = Type.String({
  format: 'date-time',
  examples: ['2026-11-24T10:00:00.000Z']
})

export const IsoDate = Type.String({ format: 'date', examples: ['2026-11-24'] })

/**
 * What the `printable-text` format refuses, as a pattern the OpenAPI document can carry: C0
 * controls but tab and line breaks, and DEL. (The format also refuses lone UTF-16 surrogates,
 * which no UTF-8 client can send.)
 */
export const PRINTABLE_TEXT_PATTERN = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$'

/** A person's name or a title: printable text, not a blob. */
export const ShortText = (description: string, maxLength = 200) =>
  Type.String({
    minLength: 1,
    maxLength,
    format: 'printable-text',
    pattern: PRINTABLE_TEXT_PATTERN,
    description: `${description}; 1–${maxLength} characters, no control characters`
  })
