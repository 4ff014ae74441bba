import neostandard from 'neostandard'

// Formatting belongs to Prettier; ESLint keeps to correctness.
export default [
  ...neostandard({
    ts: true,
    noStyle: true,
    ignores: ['**/dist/**', '.stack/**', 'stack/elasticsearch/target/**', 'bench/results/**']
  })
]
