import type { Faker } from '@faker-js/faker'
import { faker } from '@faker-js/faker/locale/pt_BR'
import type { CacheContentData } from '@streaming/contracts'
import { BRAZILIAN_CITIES } from './common.ts'

type Tipo = CacheContentData['tipo']
type Classificacao = CacheContentData['classificacao']

/** What the catalogue knows about one title: the content fields of the cache and the history. */
export type ContentFacts = Omit<CacheContentData, 'conteudo_id'>

export const GENRES = [
  'Ação',
  'Comédia',
  'Drama',
  'Suspense',
  'Ficção científica',
  'Romance',
  'Terror',
  'Animação'
] as const

const DOCUMENTARY = 'Documentário'

const RATINGS: readonly Classificacao[] = ['L', '10', '12', '14', '16', '18']
const RATINGS_BY_GENRE: Partial<Record<string, readonly Classificacao[]>> = {
  Animação: ['L', '10'],
  Terror: ['14', '16', '18'],
  [DOCUMENTARY]: ['L', '10', '12', '14']
}

const MINUTES: Record<Tipo, { min: number; max: number }> = {
  filme: { min: 80, max: 180 },
  série: { min: 20, max: 60 },
  documentário: { min: 45, max: 120 }
}

const DOCUMENTARY_SUBJECTS = [
  { title: 'Amazônia', about: 'a Amazônia' },
  { title: 'Pantanal', about: 'o Pantanal' },
  { title: 'Carnaval', about: 'o Carnaval' },
  { title: 'Futebol de Várzea', about: 'o futebol de várzea' },
  { title: 'Bossa Nova', about: 'a Bossa Nova' },
  { title: 'Sertão', about: 'o sertão nordestino' },
  { title: 'Mata Atlântica', about: 'a Mata Atlântica' },
  { title: 'Cozinha Mineira', about: 'a cozinha mineira' },
  { title: 'Samba', about: 'o samba carioca' },
  { title: 'Copa de 70', about: 'a seleção da Copa de 1970' },
  { title: 'Cordel', about: 'a literatura de cordel' },
  { title: 'Rio São Francisco', about: 'o rio São Francisco' }
] as const

const DOCUMENTARY_SUBTITLES = [
  'Uma História Brasileira',
  'Vozes e Memórias',
  'Origens',
  'O Outro Lado',
  'Além do Mapa'
] as const

const ROLES = {
  female: [
    'uma jovem advogada',
    'uma professora aposentada',
    'uma médica recém-formada',
    'uma detetive veterana',
    'uma cantora em início de carreira'
  ],
  male: [
    'um jovem advogado',
    'um professor aposentado',
    'um médico recém-formado',
    'um detetive veterano',
    'um cantor em início de carreira'
  ]
} as const

const PLOTS = [
  'precisa enfrentar o passado quando um segredo de família vem à tona',
  'vê a vida virar do avesso depois de um encontro inesperado',
  'se envolve em uma conspiração que pode custar tudo',
  'tenta recomeçar depois de uma grande perda',
  'parte em uma viagem que muda o seu destino',
  'descobre que ninguém ao seu redor é quem parece'
] as const

// A private, reseeded generator: the same conteudo_id always describes the same title, so the
// history, the cache and the recommendations agree about it.
// Built from the pt_BR module's own definitions: the package's index would load every locale
// (about 30 MB more resident memory) for the one this gateway speaks.
const FakerWithDefinitions = faker.constructor as new (options: {
  locale: Faker['rawDefinitions']
}) => Faker
const seeded = new FakerWithDefinitions({ locale: faker.rawDefinitions })

/** FNV-1a: a stable 32-bit seed from the id. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

function fictionTitle(): string {
  const city = seeded.helpers.arrayElement(BRAZILIAN_CITIES)
  const first = seeded.person.firstName()
  return seeded.helpers.arrayElement([
    () => seeded.book.title(),
    () => seeded.book.title(),
    () => `Um Verão em ${city}`,
    () => `Noites de ${city}`,
    () => `Crônicas de ${city}`,
    () => `O Caso ${seeded.person.lastName()}`,
    () => `Os ${seeded.person.lastName()}`,
    () => `Memórias de ${first}`,
    () => `A Volta de ${first}`,
    () => `${first} e ${seeded.person.firstName()}`
  ])()
}

function fictionSynopsis(): string {
  const sex = seeded.helpers.arrayElement(['female', 'male'] as const)
  const name = seeded.person.firstName(sex)
  const role = seeded.helpers.arrayElement(ROLES[sex])
  const city = seeded.helpers.arrayElement(BRAZILIAN_CITIES)
  return `Em ${city}, ${name}, ${role}, ${seeded.helpers.arrayElement(PLOTS)}.`
}

/**
 * The catalogue facts of a content id. `tipo` overrides the drawn type (the client gave it) and
 * the rest follows it: genre, length and title fit a film, a series episode or a documentary.
 */
export function contentFacts(
  conteudoId: string,
  tipo?: Tipo,
  now: Date = new Date()
): ContentFacts {
  seeded.seed(seedOf(conteudoId))
  const drawn = seeded.helpers.weightedArrayElement<Tipo>([
    { weight: 50, value: 'filme' },
    { weight: 35, value: 'série' },
    { weight: 15, value: 'documentário' }
  ])
  const kind = tipo ?? drawn
  const currentYear = now.getUTCFullYear()
  const recent = seeded.datatype.boolean({ probability: 0.7 })
  const anoLancamento = seeded.number.int({
    min: recent ? currentYear - 15 : 1950,
    max: currentYear
  })
  const avaliacao = seeded.number.float({ min: 3, max: 9.8, fractionDigits: 1 })

  if (kind === 'documentário') {
    const subject = seeded.helpers.arrayElement(DOCUMENTARY_SUBJECTS)
    return {
      titulo: `${subject.title}: ${seeded.helpers.arrayElement(DOCUMENTARY_SUBTITLES)}`,
      tipo: kind,
      categoria: DOCUMENTARY,
      descricao: `Um olhar de perto sobre ${subject.about}, com depoimentos de quem vive essa história.`,
      duracao_minutos: seeded.number.int(MINUTES[kind]),
      ano_lancamento: anoLancamento,
      classificacao: seeded.helpers.arrayElement(RATINGS_BY_GENRE[DOCUMENTARY] ?? RATINGS),
      avaliacao
    }
  }

  const categoria = seeded.helpers.arrayElement(GENRES)
  return {
    titulo: fictionTitle(),
    tipo: kind,
    categoria,
    descricao: fictionSynopsis(),
    duracao_minutos: seeded.number.int(MINUTES[kind]),
    ano_lancamento: anoLancamento,
    classificacao: seeded.helpers.arrayElement(RATINGS_BY_GENRE[categoria] ?? RATINGS),
    avaliacao
  }
}

/** A content id in the catalogue's style, e.g. `c-48213`. */
export const fakeContentId = (): string => `c-${faker.number.int({ min: 10_000, max: 99_999 })}`
