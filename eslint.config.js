import neostandard from 'neostandard'

// Formatting belongs to Prettier; ESLint keeps to correctness.
export default [
  ...neostandard({
    ts: true,
    noStyle: true,
    ignores: ['**/dist/**', '.stack/**', 'bench/results/**']
  }),
  {
    rules: {
      // TypeBox convention: a schema and its Static<> type share one name.
      '@typescript-eslint/no-redeclare': 'off',
      // Prettier decides line breaks; braces on multi-line bodies would fight it.
      curly: 'off'
    }
  },
  {
    // The dashboard's page script runs in the browser (an ES module, no build step).
    files: ['dashboard/**/*.js'],
    languageOptions: {
      globals: { window: 'readonly', document: 'readonly' }
    }
  }
]
