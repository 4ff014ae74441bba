import { faker } from '@faker-js/faker/locale/pt_BR'

/** Client input for an operation: every field optional except the ones its route always has. */
export type Given<T, Required extends keyof T = never> = Partial<T> & Pick<T, Required>

const USER_ID_SUFFIXES = 1000

/**
 * User ids are the current millisecond × 1000 plus a random three-digit suffix, strictly
 * increasing within a process: unique across concurrent calls here, and two gateway replicas
 * collide only when they draw the same suffix in the same millisecond. Stays below
 * Number.MAX_SAFE_INTEGER until the year 2255.
 */
export function createUserIdGenerator(
  clock: () => number = Date.now,
  random: () => number = Math.random
): () => number {
  let last = 0
  return () => {
    const candidate = clock() * USER_ID_SUFFIXES + Math.floor(random() * USER_ID_SUFFIXES)
    last = Math.max(candidate, last + 1)
    return last
  }
}

export const nextUserId = createUserIdGenerator()

const MIN_DAY = '0000-01-01'
const MAX_DAY = '9999-12-31'

/** The UTC calendar day of an instant, as `YYYY-MM-DD`. */
export const isoDay = (instant: Date): string => instant.toISOString().slice(0, 10)

/** A `YYYY-MM-DD` day shifted by whole days, kept inside the years the `date` format allows. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00.000Z`)
  date.setUTCDate(date.getUTCDate() + days)
  const year = date.getUTCFullYear()
  if (year < 0) return MIN_DAY
  if (year > 9999) return MAX_DAY
  return isoDay(date)
}

/** Real Brazilian cities: faker's pt_BR locale only invents city names. */
export const BRAZILIAN_CITIES = [
  'São Paulo',
  'Rio de Janeiro',
  'Belo Horizonte',
  'Salvador',
  'Brasília',
  'Fortaleza',
  'Recife',
  'Porto Alegre',
  'Curitiba',
  'Manaus',
  'Belém',
  'Goiânia',
  'Campinas',
  'São Luís',
  'Maceió',
  'Natal',
  'Teresina',
  'João Pessoa',
  'Florianópolis',
  'Vitória',
  'Cuiabá',
  'Campo Grande',
  'Aracaju',
  'Porto Velho',
  'Macapá',
  'Boa Vista',
  'Rio Branco',
  'Palmas',
  'Santos',
  'Ribeirão Preto',
  'Uberlândia',
  'Londrina',
  'Joinville',
  'Niterói',
  'Juiz de Fora',
  'Feira de Santana',
  'Campina Grande',
  'Caxias do Sul',
  'Sorocaba',
  'Petrópolis'
] as const

export const fakeCity = (): string => faker.helpers.arrayElement(BRAZILIAN_CITIES)
