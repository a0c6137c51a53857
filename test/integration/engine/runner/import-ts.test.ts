import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { importTs } from '../../../../src/engine/runner/import-ts.js'
import { loadRunnable } from '../../../../src/engine/runner/load-migration.js'
import type { MigrationContext } from '../../../../src/engine/runner/migration-context.js'
import { loadSeeds } from '../../../../src/engine/seed/load-seeds.js'
import { VERSION } from '../../../../src/version.js'
import { tempTree } from '../../../helpers/temp-tree.js'

/** A module that reports which ddbm it imported: its VERSION and whether defineSeed is a function. */
const PROBE = `import * as ddbm from 'ddbm'
export const version = ddbm.VERSION
export const hasDefineSeed = typeof ddbm.defineSeed === 'function'
`

/** A project's own ddbm in node_modules (ES module), told apart from the running one by its VERSION. */
const OWN_DDBM = {
  'node_modules/ddbm/package.json': { name: 'ddbm', type: 'module', exports: './index.js' },
  'node_modules/ddbm/index.js':
    "export const VERSION = 'own'\nexport const defineSeed = (d) => ({ ...d, count: 7 })\n",
}

/** No package.json ("type" defaults to CommonJS: tsx compiles the file to require()), or an ES module project. */
const KINDS = {
  commonjs: {},
  esm: { 'package.json': { name: 'app', private: true, type: 'module' } },
} as const

/** The exports of a module, whether Node gave them as an ES namespace or as CommonJS `module.exports`. */
function exportsOf(mod: unknown): Record<string, unknown> {
  const m = mod as Record<string, unknown> & { default?: Record<string, unknown> }
  return 'version' in m ? m : (m.default ?? {})
}

for (const [kind, files] of Object.entries(KINDS)) {
  describe(`a ${kind} project imports 'ddbm'`, () => {
    test('without ddbm installed: the running package', async () => {
      const root = await tempTree('ddbm-self-', { ...files, 'probe.ts': PROBE })
      const probe = exportsOf(await importTs(join(root, 'probe.ts')))
      expect([probe.version, probe.hasDefineSeed]).toStrictEqual([VERSION, true])
    })

    test('with its own ddbm installed: its own', async () => {
      const root = await tempTree('ddbm-self-', { ...files, ...OWN_DDBM, 'probe.ts': PROBE })
      const probe = exportsOf(await importTs(join(root, 'probe.ts')))
      expect([probe.version, probe.hasDefineSeed]).toStrictEqual(['own', true])
    })

    test('a seed and a .ts migration load without ddbm installed', async () => {
      const root = await tempTree('ddbm-self-', {
        ...files,
        'seeds/Orders.seed.ts': `import { defineSeed } from 'ddbm'
export default defineSeed({ table: 'Orders', count: 3, generate: ({ i }) => ({ PK: 'O#' + i }) })
`,
        'migrations/0001_m.ts': `import { VERSION, type MigrationContext } from 'ddbm'
export async function up(ctx: MigrationContext) { ctx.log('ddbm ' + VERSION) }
export async function down() {}
`,
      })
      const { seeds, issues } = await loadSeeds(join(root, 'seeds'), { root })
      expect(issues).toStrictEqual([])
      expect(seeds.map((s) => [s.file, s.definition.table, s.definition.count])).toStrictEqual([
        ['seeds/Orders.seed.ts', 'Orders', 3],
      ])
      const runnable = await loadRunnable(
        {
          name: '0001_m',
          number: 1,
          kind: 'ts',
          file: 'migrations/0001_m.ts',
          absolutePath: join(root, 'migrations/0001_m.ts'),
          checksum: 'x',
        },
        () => Promise.resolve(),
      )
      const logged: string[] = []
      const ctx = { log: (message: string) => void logged.push(message) }
      // The migration touches only ctx.log.
      await runnable.up(ctx as Pick<MigrationContext, 'log'> as MigrationContext)
      expect(logged).toStrictEqual([`ddbm ${VERSION}`])
    })
  })
}
