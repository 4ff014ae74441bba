import Type from 'typebox'

/** Field schemas shared by several operations, with the vocabulary of the wire (Portuguese). */

export const UserId = Type.Integer({
  minimum: 1,
  maximum: Number.MAX_SAFE_INTEGER,
  description: 'user id (positive integer)',
  examples: [1732400000123]
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

/** A person's name or a title: printable text, not a blob. */
export const ShortText = (description: string, maxLength = 200) =>
  Type.String({ minLength: 1, maxLength, format: 'printable-text', description })
