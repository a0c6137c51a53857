// @ts-check
import { builtinModules } from 'node:module'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/**
 * Data flows cli → api → config → schema → plan/seed/backfill → engine → dynamo, never back; local/ is
 * reached only through api/. testing/ (the test-runner integrations, `ddbm/vitest` and `ddbm/jest`) sits beside cli/ on
 * top of api/. studio/ (the HTTP side of `ddbm studio`: Hono routes, safety checks, static files) is used by
 * api/ only and imports nothing of ours but the leaf modules: api/studio-data.ts hands it the data. Each layer lists the layers it must not import (test/unit/lint/layers.test.ts probes every
 * edge). The leaf modules of src/ (errors, events, issues, version) may be imported from anywhere.
 * Relative imports end in `.js`, which TypeScript's NodeNext resolution already enforces.
 */
const FORBIDDEN = {
  cli: [
    'config',
    'schema',
    'plan',
    'seed',
    'backfill',
    'engine',
    'dynamo',
    'local',
    'testing',
    'studio',
  ],
  api: ['cli', 'testing'],
  config: [
    'cli',
    'api',
    'schema',
    'plan',
    'seed',
    'backfill',
    'engine',
    'dynamo',
    'local',
    'testing',
    'studio',
  ],
  schema: [
    'cli',
    'api',
    'config',
    'plan',
    'seed',
    'backfill',
    'engine',
    'dynamo',
    'local',
    'testing',
    'studio',
  ],
  plan: ['cli', 'api', 'config', 'backfill', 'engine', 'dynamo', 'local', 'testing', 'studio'],
  seed: ['cli', 'api', 'config', 'backfill', 'engine', 'dynamo', 'local', 'testing', 'studio'],
  backfill: ['cli', 'api', 'config', 'engine', 'dynamo', 'local', 'testing', 'studio'],
  engine: ['cli', 'api', 'config', 'local', 'testing', 'studio'],
  dynamo: [
    'cli',
    'api',
    'config',
    'schema',
    'plan',
    'seed',
    'backfill',
    'engine',
    'local',
    'testing',
    'studio',
  ],
  local: [
    'cli',
    'api',
    'config',
    'schema',
    'plan',
    'seed',
    'backfill',
    'engine',
    'dynamo',
    'testing',
    'studio',
  ],
  testing: [
    'cli',
    'config',
    'schema',
    'plan',
    'seed',
    'backfill',
    'engine',
    'dynamo',
    'local',
    'studio',
  ],
  studio: [
    'cli',
    'api',
    'config',
    'schema',
    'plan',
    'seed',
    'backfill',
    'engine',
    'dynamo',
    'local',
    'testing',
  ],
}

/** Modules at the top of src/ that cli/ and testing/ must not import either: they reach everything through api/. */
const TOP_FORBIDDEN_ROOT = [
  '**/zod-issues.js',
  '**/json-schemas.js',
  '../index.js',
  '../../index.js',
]

/** The pure core: data in, data out. No I/O, no clock, no process; schema/'s loaders read files. */
const PURE = [
  'src/plan/**/*.ts',
  'src/seed/**/*.ts',
  'src/backfill/**/*.ts',
  'src/schema/**/*.ts',
  'src/engine/browse/expression.ts',
]
const PURE_IGNORES = ['src/schema/load-*.ts', 'src/schema/json-file.ts']
const PURE_MESSAGE = 'is pure (data in, data out): inject I/O, time and environment from the caller'

/**
 * The no-restricted-imports patterns and paths of a layer (flat config replaces, not merges, them).
 * @param {keyof typeof FORBIDDEN} layer
 * @param {boolean} pure
 */
function importRules(layer, pure) {
  const forbidden = FORBIDDEN[layer]
  const patterns = [
    {
      group: forbidden.map((f) => `**/${f}/*`),
      message: `src/${layer} must not import ${forbidden.join(', ')} (imports flow one way).`,
    },
  ]
  if (layer === 'cli' || layer === 'testing' || layer === 'studio') {
    const reach = layer === 'studio' ? '' : 'api/ and '
    patterns.push({
      group: TOP_FORBIDDEN_ROOT,
      message: `src/${layer} imports only ${reach}the leaf modules errors, events, issues, version.`,
    })
  }
  if (['schema', 'plan', 'seed', 'backfill'].includes(layer)) {
    patterns.push({ group: ['@aws-sdk/*'], message: `src/${layer} is pure: no AWS SDK.` })
  }
  if (!pure) return [{ patterns }]
  const message = `src/${layer} ${PURE_MESSAGE}: no Node built-in modules.`
  patterns.push({ group: ['node:*'], message })
  return [{ patterns, paths: builtinModules.map((name) => ({ name, message })) }]
}

const layers = /** @type {(keyof typeof FORBIDDEN)[]} */ (Object.keys(FORBIDDEN))
const layerRules = layers.flatMap((layer) => {
  const files = [`src/${layer}/**/*.ts`]
  const base = {
    files,
    rules: { 'no-restricted-imports': ['error', ...importRules(layer, false)] },
  }
  const pure = PURE.filter((glob) => glob.startsWith(`src/${layer}/`))
  if (pure.length === 0) return [base]
  return [
    base,
    {
      files: pure,
      ignores: PURE_IGNORES,
      rules: { 'no-restricted-imports': ['error', ...importRules(layer, true)] },
    },
  ]
})

const clock = `${PURE_MESSAGE}: no clock.`
const env = `${PURE_MESSAGE}: no process (environment, arguments, working directory).`
const pureRules = {
  files: PURE,
  ignores: PURE_IGNORES,
  rules: {
    'no-restricted-globals': [
      'error',
      { name: 'process', message: env },
      { name: 'performance', message: clock },
    ],
    'no-restricted-properties': [
      'error',
      { object: 'Date', property: 'now', message: clock },
      { object: 'globalThis', property: 'process', message: env },
      { object: 'globalThis', property: 'performance', message: clock },
    ],
    'no-restricted-syntax': [
      'error',
      { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: clock },
      { selector: "CallExpression[callee.name='Date']", message: clock },
    ],
  },
}

/**
 * no-restricted-imports does not see import(): the dynamic imports of src/cli (each handler loads its api
 * module when it runs, so that `ddbm --help` loads none) are held to api/, by a literal path.
 */
const cliDynamicImports = {
  files: ['src/cli/**/*.ts'],
  rules: {
    'no-restricted-syntax': [
      'error',
      {
        selector: 'ImportExpression:not([source.value=/^(\\.\\.\\/)+api\\/[a-z-]+\\.js$/])',
        message:
          "src/cli loads only api/ modules dynamically, by a literal path: import('../../api/<module>.js').",
      },
    ],
  },
}

/** Leaf modules: each may import only the leaves listed (type-only uses of the one Issue type). */
/** @type {Record<string, string[]>} */
const LEAVES = {
  'src/errors.ts': ['./issues.js'],
  'src/zod-issues.ts': ['./issues.js'],
  'src/events.ts': [],
  'src/issues.ts': [],
  'src/version.ts': [],
}
const leafRules = Object.entries(LEAVES).map(([file, allowed]) => ({
  files: [file],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: ['./*', '../*', ...allowed.map((a) => `!${a}`)],
            message:
              allowed.length === 0
                ? 'leaf module: imports nothing of ours'
                : `leaf module: imports nothing of ours but ${allowed.join(', ')}`,
          },
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
  cliDynamicImports,
  pureRules,
  ...leafRules,
  { files: ['src/cli/**/*.ts', 'scripts/**', 'test/**'], rules: { 'no-console': 'off' } },
)
