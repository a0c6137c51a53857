import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, onTestFinished, test } from 'vitest'
import { withSession } from '../../src/api/index.js'
import { ensureMetaTable } from '../../src/engine/meta/meta-table.js'
import { acquireLock } from '../../src/engine/meta/lock.js'
import { ddbm } from '../helpers/cli.js'
import { dropTables, engines } from '../helpers/engines.js'
import { migrationProject } from '../helpers/temp-tree.js'

const engine = engines()[0]!
const at = ['--endpoint', engine.endpoint]

async function project(opts: { leaseMs?: number } = {}) {
  const p = await migrationProject(opts)
  onTestFinished(() => dropTables(engine.endpoint, p.suffix))
  return p
}

describe('migrate create, status, resolve, unlock', () => {
  test('create writes the next number from a template, .json or --ts', async () => {
    const { cwd } = await project()
    const json = await ddbm(['migrate', 'create', 'Add Status Index', '--json'], { cwd })
    expect(JSON.parse(json.stdout).result).toStrictEqual({
      name: '0004_add_status_index',
      file: 'migrations/0004_add_status_index.json',
    })
    expect(
      JSON.parse(await readFile(join(cwd, 'migrations/0004_add_status_index.json'), 'utf8')),
    ).toMatchObject({
      version: 1,
      up: [],
      down: [],
    })
    const ts = await ddbm(['migrate', 'create', 'backfill', '--ts'], { cwd })
    expect(ts.stdout.trim()).toBe('created migrations/0005_backfill.ts')
    expect((await ddbm(['validate'], { cwd })).code).toBe(0)
  })

  test('a failing migration is recorded failed, blocks up until fixed, and resolve marks it', async () => {
    const { cwd } = await project()
    const file = join(cwd, 'migrations', '0003_marker.ts')
    const good = await readFile(file, 'utf8')
    await writeFile(
      file,
      good.replace(
        'await ctx.putItems',
        "throw new Error('backfill exploded'); await ctx.putItems",
      ),
    )
    const failed = await ddbm(['migrate', 'up', '--json', ...at], { cwd })
    expect(failed.code).toBe(1)
    expect(JSON.parse(failed.stdout).error.code).toBe('MIGRATION_FAILED')
    expect(failed.stderr).toContain('backfill exploded')

    const status = JSON.parse(
      (await ddbm(['migrate', 'status', '--json', ...at], { cwd })).stdout,
    ).result
    expect(
      status.rows.map((r: { name: string; state: string }) => `${r.name} ${r.state}`),
    ).toStrictEqual(['0001_tables applied', '0002_indexes applied', '0003_marker failed'])
    expect(status.rows[2].error).toContain('backfill exploded')

    expect((await ddbm(['migrate', 'up', ...at], { cwd })).code).toBe(1)
    await writeFile(file, good)
    const fixed = await ddbm(['migrate', 'up', '--json', ...at], { cwd })
    expect(fixed.code).toBe(0)
    expect(
      JSON.parse(fixed.stdout).result.migrations.map((m: { name: string }) => m.name),
    ).toStrictEqual(['0003_marker'])

    const back = await ddbm(['migrate', 'resolve', '0003_marker', '--rolled-back', ...at], { cwd })
    expect([back.code, back.stdout.trim()]).toStrictEqual([0, '0003_marker marked rolled-back'])
    const applied = await ddbm(['migrate', 'resolve', '0003_marker', '--applied', ...at], { cwd })
    expect(applied.stdout.trim()).toBe('0003_marker marked applied')
    const none = await ddbm(['migrate', 'up', ...at], { cwd })
    expect(none.stdout).toMatch(/^nothing to apply/)
    const both = await ddbm(['migrate', 'resolve', '0003_marker', ...at], { cwd })
    expect(both.code).toBe(2)
  })

  test('a lock held by a stuck run: exit 4 after --lock-timeout naming the holder; unlock asks, then removes it', async () => {
    const { cwd, tableName } = await project({ leaseMs: 60_000 })
    const metaTable = tableName('ddbm_migrations')
    const stuck = await withSession(
      { cwd, endpoint: engine.endpoint, processEnv: {} },
      async (s) => {
        await ensureMetaTable(s.client, metaTable)
        const lease = await acquireLock({
          client: s.client,
          table: metaTable,
          holder: 'ci@build-417 pid 99',
          leaseMs: 60_000,
          emit: () => {},
        })
        lease.stopHeartbeat()
        return lease
      },
    )
    expect(stuck.lost).toBe(false)
    const held = await ddbm(['migrate', 'up', '--lock-timeout', '1s', '--json', ...at], { cwd })
    expect(held.code).toBe(4)
    const error = JSON.parse(held.stdout).error
    expect(error.code).toBe('LOCK_HELD')
    expect(error.message).toContain('ci@build-417 pid 99')
    expect(held.stderr).toContain('lock waiting (held by ci@build-417 pid 99')

    const refused = await ddbm(['migrate', 'unlock', ...at], { cwd })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('Not removing the lock held by ci@build-417 pid 99')
    const unlocked = await ddbm(['migrate', 'unlock', '--yes', '--json', ...at], { cwd })
    expect(JSON.parse(unlocked.stdout).result).toMatchObject({
      removed: true,
      holder: 'ci@build-417 pid 99',
    })
    expect((await ddbm(['migrate', 'up', ...at], { cwd })).code).toBe(0)
  })
})
