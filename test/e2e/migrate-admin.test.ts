import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, onTestFinished, test } from 'vitest'
import { withSession } from '../../src/api/index.js'
import { ensureMetaTable } from '../../src/engine/meta/meta-table.js'
import { acquireLock } from '../../src/engine/meta/lock.js'
import type { Event } from '../../src/events.js'
import { ddbm } from '../helpers/cli.js'
import { dropTables, engines, type Engine, describeOn } from '../helpers/engines.js'
import {
  APPLIED_BY,
  migrateResult,
  rows,
  upMigrations,
  verifyResult,
} from '../helpers/migration-documents.js'
import { migrationProject } from '../helpers/temp-tree.js'

const env = { DDBM_APPLIED_BY: APPLIED_BY }

async function project(engine: Engine, opts: { leaseMs?: number } = {}) {
  const p = await migrationProject(opts)
  onTestFinished(() => dropTables(engine.endpoint, p.suffix))
  return p
}

/** The parsed `--json` document of `ddbm ...args` in `cwd`, with its exit code. */
async function json(args: string[], cwd: string): Promise<{ code: number | null; doc: unknown }> {
  const run = await ddbm([...args, '--json'], { cwd, env })
  return { code: run.code, doc: JSON.parse(run.stdout) }
}

/** `s` as a regular expression matching itself literally. */
function literal(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

describe('migrate create', () => {
  test('writes the next number from a template, .json or --ts', async () => {
    const { cwd } = await migrationProject()
    expect(await json(['migrate', 'create', 'Add Status Index'], cwd)).toStrictEqual({
      code: 0,
      doc: {
        ok: true,
        command: 'migrate create',
        result: {
          name: '0004_add_status_index',
          file: 'migrations/0004_add_status_index.json',
        },
      },
    })
    expect(
      JSON.parse(await readFile(join(cwd, 'migrations/0004_add_status_index.json'), 'utf8')),
    ).toStrictEqual({
      $schema: '../node_modules/ddbm/schema/migration.schema.json',
      version: 1,
      up: [],
      down: [],
    })
    const ts = await ddbm(['migrate', 'create', 'backfill', '--ts'], { cwd })
    expect([ts.code, ts.stdout]).toStrictEqual([0, 'created migrations/0005_backfill.ts\n'])
    expect(await readFile(join(cwd, 'migrations/0005_backfill.ts'), 'utf8')).toBe(
      `import type { MigrationContext } from 'ddbm'

/**
 * Data change: runs once, in order with the other migrations, under the migration lock. A failed run is run
 * again from the start, so write each change to converge (a condition plus \`ifConditionFails: 'skip'\`).
 * Tables are logical names; items are plain objects. Import nothing but ddbm's types: ctx has the helpers.
 */
export async function up(ctx: MigrationContext): Promise<void> {
  // for await (const item of ctx.scan('Candidates', {
  //   filter: '#s = :s', names: { '#s': 'status' }, values: { ':s': 'PENDING' },
  // })) {
  //   await ctx.update('Candidates', { PK: item.PK, SK: item.SK }, {
  //     set: { activeFlag: 'Y' },
  //     condition: 'attribute_exists(PK)',
  //     ifConditionFails: 'skip',
  //   })
  // }
  // Also: ctx.get, ctx.put, ctx.delete, ctx.query(table, { keyCondition, index }),
  // ctx.putItems(table, items), ctx.deleteItems(table, keys), ctx.log(message).
}

/** Undo of up(), run by \`ddbm migrate down\`. */
export async function down(ctx: MigrationContext): Promise<void> {}
`,
    )
    expect((await ddbm(['validate'], { cwd })).code).toBe(0)
  })
})

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: migrate status, resolve, unlock`, () => {
    const at = ['--endpoint', engine.endpoint]

    test('a failing migration is recorded failed, blocks up until fixed, and resolve marks it', async () => {
      const { cwd, suffix } = await project(engine)
      const status = (states: Parameters<typeof rows>) => ({
        code: 0,
        doc: {
          ok: true,
          command: 'migrate status',
          result: {
            env: 't',
            metaTable: `ddbm_migrations-${suffix}`,
            rows: rows(...states),
            problems: [],
            environment: {
              name: 't',
              protected: false,
              createdAt: expect.any(String),
              createdBy: APPLIED_BY,
            },
          },
        },
      })
      const file = join(cwd, 'migrations', '0003_marker.ts')
      const good = await readFile(file, 'utf8')
      await writeFile(
        file,
        good.replace(
          'await ctx.putItems',
          "throw new Error('backfill exploded'); await ctx.putItems",
        ),
      )
      const failed = await ddbm(['migrate', 'up', '--json', ...at], { cwd, env })
      expect(failed.code).toBe(1)
      expect(JSON.parse(failed.stdout)).toStrictEqual({
        ok: false,
        command: 'migrate up',
        error: {
          code: 'MIGRATION_FAILED',
          exitCode: 1,
          message: 'Migration 0003_marker failed: backfill exploded',
          hint: 'Fix the cause and re-run `ddbm migrate up`: every step converges, so a re-run is safe.',
          details: { name: '0003_marker', direction: 'up' },
        },
      })
      expect(failed.stderr).toContain('backfill exploded')
      expect(await json(['migrate', 'status', ...at], cwd)).toStrictEqual(
        status(['applied', 'applied', { failed: 'backfill exploded' }]),
      )

      expect((await ddbm(['migrate', 'up', ...at], { cwd, env })).code).toBe(1)
      await writeFile(file, good)
      expect(await json(['migrate', 'up', ...at], cwd)).toStrictEqual({
        code: 0,
        doc: {
          ok: true,
          command: 'migrate up',
          result: migrateResult(suffix, {
            migrations: upMigrations(suffix, '0003_marker'),
            status: rows('applied', 'applied', 'applied'),
            verify: verifyResult(engine, suffix),
          }),
        },
      })

      const back = await ddbm(['migrate', 'resolve', '0003_marker', '--rolled-back', ...at], {
        cwd,
        env,
      })
      expect([back.code, back.stdout]).toStrictEqual([0, '0003_marker marked rolled-back\n'])
      expect(await json(['migrate', 'status', ...at], cwd)).toStrictEqual(
        status(['applied', 'applied', 'pending']),
      )
      // Rolled back, it has no record: marking it applied without running it needs --yes (no terminal).
      const applied = await ddbm(
        ['migrate', 'resolve', '0003_marker', '--applied', '--yes', ...at],
        {
          cwd,
          env,
        },
      )
      expect([applied.code, applied.stdout]).toStrictEqual([0, '0003_marker marked applied\n'])
      expect(await json(['migrate', 'status', ...at], cwd)).toStrictEqual(
        status(['applied', 'applied', 'resolved']),
      )
      const none = await ddbm(['migrate', 'up', ...at], { cwd, env })
      expect([none.code, none.stdout.split('\n')[0]]).toStrictEqual([
        0,
        'nothing to apply in "t": 3 migration(s) applied, none pending',
      ])
      expect(await json(['migrate', 'resolve', '0003_marker', ...at], cwd)).toStrictEqual({
        code: 2,
        doc: {
          ok: false,
          command: 'migrate resolve',
          error: {
            code: 'USAGE',
            exitCode: 2,
            message: 'Give exactly one of --applied and --rolled-back',
            hint: 'Run `ddbm --help` or `ddbm <command> --help` for the options.',
          },
        },
      })
    })

    test('a lock held by a stuck run: exit 4 after --lock-timeout naming the holder; unlock asks, then removes it', async () => {
      const { cwd, suffix, tableName } = await project(engine, { leaseMs: 60_000 })
      const metaTable = tableName('ddbm_migrations')
      const holder = 'ci@build-417 pid 99'
      const events: Event[] = []
      const stuck = await withSession(
        { cwd, endpoint: engine.endpoint, processEnv: {} },
        async (s) => {
          await ensureMetaTable(s.client, metaTable)
          const lease = await acquireLock({
            client: s.client,
            table: metaTable,
            holder,
            leaseMs: 60_000,
            emit: (e) => events.push(e),
          })
          lease.stopHeartbeat()
          return lease
        },
      )
      expect(stuck.lost).toBe(false)
      const acquired = events.find((e) => e.kind === 'lock' && e.status === 'acquired')
      const since = acquired?.kind === 'lock' ? acquired.since : ''
      expect(since).toStrictEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/))

      const held = await ddbm(['migrate', 'up', '--lock-timeout', '1s', '--json', ...at], {
        cwd,
        env,
      })
      expect(held.code).toBe(4)
      expect(JSON.parse(held.stdout)).toStrictEqual({
        ok: false,
        command: 'migrate up',
        error: {
          code: 'LOCK_HELD',
          exitCode: 4,
          // How long it waited (the timeout, give or take a poll) is the one variable part.
          message: expect.stringMatching(
            new RegExp(
              `^${literal(`The migration lock in ${metaTable} is held by ${holder} since ${since}; gave up after waiting `)}\\d+ s$`,
            ),
          ),
          hint: 'Wait for the other run, raise --lock-timeout, or `ddbm migrate unlock` if its holder is gone.',
          details: { holder, since, waitedMs: expect.any(Number) },
        },
      })
      expect(held.stderr).toContain(
        `lock waiting: held by ${holder} since ${since}; taking over in 60 s unless it renews\n`,
      )
      expect(await json(['migrate', 'status', ...at], cwd)).toStrictEqual({
        code: 0,
        doc: {
          ok: true,
          command: 'migrate status',
          result: {
            env: 't',
            metaTable,
            rows: rows('pending', 'pending', 'pending'),
            problems: [],
            lock: { holder, since },
          },
        },
      })

      const refused = await ddbm(['migrate', 'unlock', '--json', ...at], { cwd, env })
      expect(refused.code).toBe(2)
      expect(JSON.parse(refused.stdout)).toStrictEqual({
        ok: false,
        command: 'migrate unlock',
        error: {
          code: 'USAGE',
          exitCode: 2,
          message: `Not removing the lock held by ${holder} since ${since}`,
          hint: 'Confirm with --yes once you are sure its holder is gone.',
          details: { holder },
        },
      })
      expect(refused.stderr).toContain(`Not removing the lock held by ${holder}`)
      expect(await json(['migrate', 'unlock', '--yes', ...at], cwd)).toStrictEqual({
        code: 0,
        doc: { ok: true, command: 'migrate unlock', result: { removed: true, holder, since } },
      })
      expect(await json(['migrate', 'up', ...at], cwd)).toStrictEqual({
        code: 0,
        doc: {
          ok: true,
          command: 'migrate up',
          result: migrateResult(suffix, {
            migrations: upMigrations(suffix, '0001_tables', '0002_indexes', '0003_marker'),
            status: rows('applied', 'applied', 'applied'),
            verify: verifyResult(engine, suffix),
          }),
        },
      })
    })
  })
}
