import { ESLint } from 'eslint'
import { describe, expect, test } from 'vitest'

const eslint = new ESLint()

/** The rules that hold the layers and the pure core; every probe counts their messages. */
const RULES = [
  'no-restricted-imports',
  'no-restricted-globals',
  'no-restricted-properties',
  'no-restricted-syntax',
]

/** `ruleId: message` of every message of RULES for `code` linted as `filePath`. */
async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? [])
    .filter((m) => m.ruleId !== null && RULES.includes(m.ruleId))
    .map((m) => `${m.ruleId}: ${m.message}`)
}

const importing = (source: string) => `import { x } from '${source}'\nexport const y = x\n`

const LAYERS = [
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
  'studio',
] as const
type Layer = (typeof LAYERS)[number]

/**
 * What each layer may import of the other layers, written out here on its own so that the test checks
 * eslint.config.js rather than repeating it: every pair not listed is a forbidden edge.
 */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  cli: ['api'],
  api: ['config', 'schema', 'plan', 'seed', 'backfill', 'engine', 'dynamo', 'local', 'studio'],
  config: [],
  schema: [],
  plan: ['schema', 'seed'],
  seed: ['schema', 'plan'],
  backfill: ['schema', 'plan', 'seed'],
  engine: ['schema', 'plan', 'seed', 'backfill', 'dynamo'],
  dynamo: [],
  local: [],
  testing: ['api'],
  studio: [],
}

/** Every ordered pair of distinct layers, from a file at the top of the layer and from a nested one. */
const EDGES = LAYERS.flatMap((from) =>
  LAYERS.filter((to) => to !== from).flatMap((to) => {
    const allowed = MAY_IMPORT[from].includes(to)
    return [
      { from, to, file: `src/${from}/probe.ts`, source: `../${to}/module.js`, allowed },
      { from, to, file: `src/${from}/sub/probe.ts`, source: `../../${to}/sub/module.js`, allowed },
    ]
  }),
)

describe('the import direction between layers', () => {
  test('the table covers every pair of layers: 264 probes (132 pairs of layers, flat and nested), 218 of them forbidden', () => {
    expect([EDGES.length, EDGES.filter((e) => !e.allowed).length]).toStrictEqual([264, 218])
  })

  test.each(EDGES.filter((e) => !e.allowed))(
    'refuses $file importing $source ($from → $to)',
    async ({ from, file, source }) => {
      const messages = await restricted(file, importing(source))
      expect(messages).toHaveLength(1)
      expect(messages[0]).toMatch(new RegExp(`^no-restricted-imports: .*src/${from} must not`))
    },
  )

  test.each(EDGES.filter((e) => e.allowed))(
    'allows $file importing $source ($from → $to)',
    async ({ file, source }) => {
      expect(await restricted(file, importing(source))).toStrictEqual([])
    },
  )

  test.each(
    LAYERS.flatMap((layer) =>
      ['errors', 'events', 'issues', 'version'].flatMap((leaf) => [
        { file: `src/${layer}/probe.ts`, source: `../${leaf}.js` },
        { file: `src/${layer}/sub/probe.ts`, source: `../../${leaf}.js` },
      ]),
    ),
  )('allows $file importing the leaf module $source', async ({ file, source }) => {
    expect(await restricted(file, importing(source))).toStrictEqual([])
  })

  test.each(
    LAYERS.flatMap((layer) => [
      { file: `src/${layer}/probe.ts`, source: './module.js' },
      { file: `src/${layer}/sub/probe.ts`, source: '../module.js' },
    ]),
  )('allows $file importing its own layer: $source', async ({ file, source }) => {
    expect(await restricted(file, importing(source))).toStrictEqual([])
  })
})

describe('src/cli reaches the rest through api/ only', () => {
  test.each([
    ['src/cli/commands/probe.ts', '../../engine/steps/execute.js'],
    ['src/cli/probe.ts', '../engine/meta/lock.js'],
    ['src/cli/commands/probe.ts', '../../config/load-config.js'],
    ['src/cli/commands/probe.ts', '../../plan/history.js'],
  ])('refuses %s importing %s', async (file, source) => {
    const messages = await restricted(file, importing(source))
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(/^no-restricted-imports: .*src\/cli must not import config, schema/)
  })

  test.each([
    ['src/cli/probe.ts', '../zod-issues.js'],
    ['src/cli/commands/probe.ts', '../../json-schemas.js'],
    ['src/cli/probe.ts', '../index.js'],
    ['src/cli/commands/probe.ts', '../../index.js'],
  ])('refuses %s importing the top-level module %s', async (file, source) => {
    expect(await restricted(file, importing(source))).toStrictEqual([
      'no-restricted-imports: ' +
        `'${source}' import is restricted from being used by a pattern. ` +
        'src/cli imports only api/ and the leaf modules errors, events, issues, version.',
    ])
  })

  test.each([
    ['src/cli/commands/probe.ts', '../../api/index.js'],
    ['src/cli/commands/probe.ts', '../reporter.js'],
    ['src/cli/commands/probe.ts', './index.js'],
    ['src/cli/probe.ts', './commands/index.js'],
  ])('allows %s importing %s', async (file, source) => {
    expect(await restricted(file, importing(source))).toStrictEqual([])
  })

  test('an upward import from a nested engine file is refused', async () => {
    expect(
      await restricted('src/engine/steps/probe.ts', importing('../../cli/reporter.js')),
    ).toHaveLength(1)
  })
})

describe('src/testing (ddbm/vitest, ddbm/jest) reaches the rest through api/ only', () => {
  test.each([
    ['src/testing/probe.ts', '../local/dynamodb-local.js'],
    ['src/testing/probe.ts', '../config/load-config.js'],
    ['src/testing/sub/probe.ts', '../../engine/steps/execute.js'],
  ])('refuses %s importing %s', async (file, source) => {
    const messages = await restricted(file, importing(source))
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(
      /^no-restricted-imports: .*src\/testing must not import cli, config/,
    )
  })

  test.each([
    ['src/testing/probe.ts', '../zod-issues.js'],
    ['src/testing/probe.ts', '../index.js'],
    ['src/testing/sub/probe.ts', '../../index.js'],
  ])('refuses %s importing the top-level module %s', async (file, source) => {
    expect(await restricted(file, importing(source))).toStrictEqual([
      'no-restricted-imports: ' +
        `'${source}' import is restricted from being used by a pattern. ` +
        'src/testing imports only api/ and the leaf modules errors, events, issues, version.',
    ])
  })

  test.each([
    ['src/cli/probe.ts', '../testing/vitest.js'],
    ['src/api/probe.ts', '../testing/jest.js'],
  ])(
    'refuses %s importing %s (nothing depends on the test-runner integrations)',
    async (file, source) => {
      expect(await restricted(file, importing(source))).toHaveLength(1)
    },
  )

  test.each([
    ['src/testing/probe.ts', '../api/index.js'],
    ['src/testing/probe.ts', './test-database.js'],
    ['src/testing/probe.ts', 'vitest/node'],
  ])('allows %s importing %s', async (file, source) => {
    expect(await restricted(file, importing(source))).toStrictEqual([])
  })
})

describe('the pure core (plan/, seed/, backfill/, schema/ but its loaders) does no I/O', () => {
  const PURE_FILES = [
    'src/plan/probe.ts',
    'src/plan/sub/probe.ts',
    'src/seed/probe.ts',
    'src/backfill/probe.ts',
    'src/schema/rules/probe.ts',
    'src/schema/probe.ts',
  ]
  const BUILTINS = ['node:fs', 'node:fs/promises', 'fs', 'fs/promises', 'path', 'os', 'crypto']

  test.each(PURE_FILES.flatMap((file) => BUILTINS.map((source) => [file, source])))(
    'refuses %s importing %s',
    async (file, source) => {
      const messages = await restricted(file, importing(source))
      expect(messages).toHaveLength(1)
      expect(messages[0]).toMatch(/^no-restricted-imports: .*is pure .*no Node built-in modules\.$/)
    },
  )

  test.each([
    ['src/schema/load-probe.ts', 'node:fs/promises'],
    ['src/schema/json-file.ts', 'node:fs'],
    ['src/engine/steps/probe.ts', 'node:fs'],
    ['src/config/probe.ts', 'node:path'],
    ['src/plan/probe.ts', 'zod'],
  ])('allows %s importing %s (not pure, or not a built-in)', async (file, source) => {
    expect(await restricted(file, importing(source))).toStrictEqual([])
  })

  const CLOCK_AND_PROCESS: [expr: string, rule: string][] = [
    ['Date.now()', 'no-restricted-properties'],
    ['new Date()', 'no-restricted-syntax'],
    ['Date()', 'no-restricted-syntax'],
    ['performance.now()', 'no-restricted-globals'],
    ['process.env.DDBM_ENV', 'no-restricted-globals'],
    ['process.cwd()', 'no-restricted-globals'],
    ['globalThis.process', 'no-restricted-properties'],
  ]

  test.each(
    PURE_FILES.flatMap((file) => CLOCK_AND_PROCESS.map(([expr, rule]) => [file, expr, rule])),
  )('refuses %s reading %s', async (file, expr, rule) => {
    const messages = await restricted(file, `export const y = ${expr}\n`)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(new RegExp(`^${rule}: .*is pure .*: no (clock|process)`))
  })

  test.each([
    ['src/plan/probe.ts', 'new Date(0).toISOString()'],
    ['src/plan/probe.ts', 'Date.parse("2026-01-01")'],
    ['src/schema/load-probe.ts', 'process.cwd()'],
    ['src/engine/probe.ts', 'Date.now()'],
    ['src/api/probe.ts', 'process.env.DDBM_ENV'],
  ])('allows %s reading %s', async (file, expr) => {
    expect(await restricted(file, `export const y = ${expr}\n`)).toStrictEqual([])
  })
})

describe('leaf modules', () => {
  test.each([
    ['src/errors.ts', './events.js'],
    ['src/errors.ts', './config/load-config.js'],
    ['src/events.ts', './issues.js'],
    ['src/issues.ts', './errors.js'],
    ['src/zod-issues.ts', './errors.js'],
    ['src/version.ts', './errors.js'],
  ])('refuses %s importing %s', async (file, source) => {
    const messages = await restricted(file, importing(source))
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(/^no-restricted-imports: .*leaf module: imports nothing of ours/)
  })

  test.each([
    ['src/errors.ts', './issues.js'],
    ['src/zod-issues.ts', './issues.js'],
  ])('allows %s importing the Issue type from %s', async (file, source) => {
    expect(await restricted(file, importing(source))).toStrictEqual([])
  })
})

describe('src/cli loads api/ modules dynamically, and nothing else', () => {
  const loading = (source: string) => `export const load = () => import(${source})\n`
  test.each([
    ['src/cli/commands/probe.ts', "'../../api/migrate.js'"],
    ['src/cli/probe.ts', "'../api/validate.js'"],
  ])('allows %s loading %s', async (file, source) => {
    expect(await restricted(file, loading(source))).toStrictEqual([])
  })

  test.each([
    ['src/cli/commands/probe.ts', "'../../engine/steps/execute.js'"],
    ['src/cli/probe.ts', "'../config/load-config.js'"],
    ['src/cli/commands/probe.ts', "'@aws-sdk/client-dynamodb'"],
    ['src/cli/commands/probe.ts', '`../../api/${name}.js`'],
  ])('refuses %s loading %s', async (file, source) => {
    expect(await restricted(file, loading(source))).toStrictEqual([
      "no-restricted-syntax: src/cli loads only api/ modules dynamically, by a literal path: import('../../api/<module>.js').",
    ])
  })
})
