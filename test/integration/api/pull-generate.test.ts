import { cp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { generateMigration, migrateUp, pull } from '../../../src/api/index.js'
import { loadSchemas } from '../../../src/schema/load-schemas.js'
import { engines, testOn } from '../../helpers/engines.js'
import { suffixedProject } from '../../helpers/temp-tree.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

// Pull can only write what the endpoint reports: the example tables use PITR, tags and SSE, which only an
// engine that reports them can round-trip (moto; DynamoDB Local has none of the three).
const complete = engines().filter(
  (e) => e.supports.pitr && e.supports.tags && e.supports.sseInDescribe,
)

describe('db pull on the example tables, then generate', () => {
  test('an engine that reports PITR, tags and SSE is available in CI', () => {
    if (process.env.CI === 'true') {
      expect(complete.filter((e) => e.missing === undefined).map((e) => e.name)).toContain('moto')
    }
  })

  for (const engine of complete) {
    testOn(
      engine,
      `${engine.name}: pull writes schemas that load cleanly, and generate then plans no change`,
      async () => {
        const { cwd, suffix } = await suffixedProject(engine)
        await cp(join(ROOT, 'schemas'), join(cwd, 'schemas'), { recursive: true })
        await cp(join(ROOT, 'migrations'), join(cwd, 'migrations'), { recursive: true })
        const base = { cwd, endpoint: engine.endpoint, processEnv: {} }
        const up = await migrateUp(base)
        expect(up.verify?.summary.drift).toBe(0)

        await rm(join(cwd, 'schemas'), { recursive: true })
        const pulled = await pull(base)
        expect([...pulled.written].sort()).toStrictEqual([
          'schemas/Candidates.json',
          'schemas/EngagementHistory.json',
          'schemas/ProgramConfig.json',
          'schemas/ScoreCache.json',
          'schemas/items.json',
        ])
        expect(pulled.skipped).toContain(`ddbm_migrations-${suffix}`)
        expect((await loadSchemas(join(cwd, 'schemas'), { root: cwd })).issues).toStrictEqual([])

        const generated = await generateMigration({ cwd, name: 'after_pull' })
        expect(generated.plan).toStrictEqual([])
        expect(generated.file).toBeUndefined()
      },
      90_000,
    )
  }
})
