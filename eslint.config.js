// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/**
 * STYLE.md principle 1: data flows cli → api → config → schema → plan/seed → engine → dynamo, never back.
 * Each layer lists the layers it must not import. Relative imports end in `.js`, which TypeScript's NodeNext
 * resolution already enforces.
 */
const FORBIDDEN = {
  api: ['cli'],
  config: ['cli', 'api', 'schema', 'plan', 'seed', 'engine', 'dynamo', 'local'],
  schema: ['cli', 'api', 'config', 'plan', 'seed', 'engine', 'dynamo', 'local'],
  plan: ['cli', 'api', 'config', 'engine', 'dynamo', 'local'],
  seed: ['cli', 'api', 'config', 'engine', 'dynamo', 'local'],
  engine: ['cli', 'api', 'config', 'local'],
  dynamo: ['cli', 'api', 'config', 'schema', 'plan', 'seed', 'engine', 'local'],
  local: ['cli', 'api', 'config', 'schema', 'plan', 'seed', 'engine', 'dynamo'],
}
const PURE = ['schema', 'plan', 'seed']

const layerRules = Object.entries(FORBIDDEN).map(([layer, forbidden]) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: forbidden.map((f) => `**/${f}/*`),
            message: `src/${layer} must not import ${forbidden.join(', ')} (STYLE.md: imports flow one way).`,
          },
          ...(PURE.includes(layer)
            ? [{ group: ['@aws-sdk/*'], message: `src/${layer} is pure: no AWS SDK.` }]
            : []),
        ],
      },
    ],
  },
}))

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.ddbm/**', 'coverage/**', '.venv/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-console': 'error',
    },
  },
  ...layerRules,
  {
    files: ['src/errors.ts', 'src/events.ts', 'src/zod-issues.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['./*', '../*'], message: 'leaf module: imports nothing of ours' }] },
      ],
    },
  },
  { files: ['src/cli/**/*.ts', 'scripts/**', 'test/**'], rules: { 'no-console': 'off' } },
)
