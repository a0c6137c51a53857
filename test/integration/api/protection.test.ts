import { randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  DeleteBackupCommand,
  DescribeBackupCommand,
  DescribeTableCommand,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest'
import {
  migrateDown,
  migrateResolve,
  migrateStatus,
  migrateUnlock,
  migrateUp,
  reset,
  seed,
  verify,
  type ConfirmOptions,
  type SessionOptions,
} from '../../../src/api/index.js'
import { dynamoMetaStore } from '../../../src/engine/meta/dynamo-meta-store.js'
import { memoryMetaStore } from '../../../src/engine/meta/memory-meta-store.js'
import { ERRORS, isDdbmError } from '../../../src/errors.js'
import type { Event } from '../../../src/events.js'
import { loadMigrations } from '../../../src/schema/load-migrations.js'
import { ACCOUNTS } from '../../fixtures/tables.js'
import { callCounter } from '../../helpers/calls.js'
import {
  dropTables,
  engineClient,
  engines,
  type Engine,
  describeOn,
} from '../../helpers/engines.js'
import { identity, storedRecord } from '../../helpers/meta-store-contract.js'
import { protectedProjectFiles } from '../../helpers/protected-project.js'
import { tempTree } from '../../helpers/temp-tree.js'

/**
 * The protection matrix: every refused command × what protects the environment (its config, its meta
 * table's identity, or a meta table of another environment) × every way of not confirming. Each case must
 * be refused with exit 2 before any mutating call. The project is built once per engine.
 */

type Fixture = { cwd: string; suffix: string }

/** Writes the protected project under a new temp folder, migrates prod and staging up to 0001. */
async function build(engine: Engine): Promise<Fixture> {
  const suffix = randomUUID().slice(0, 8)
  const cwd = await mkdtemp(path.join(tmpdir(), 'ddbm-protect-'))
  for (const [name, content] of Object.entries(protectedProjectFiles(suffix))) {
    await mkdir(path.dirname(path.join(cwd, name)), { recursive: true })
    await writeFile(path.join(cwd, name), `${JSON.stringify(content, null, 2)}\n`)
  }
  const base = { cwd, endpoint: engine.endpoint, processEnv: {} }
  await migrateUp({ ...base, env: 'prod', verify: false })
  await migrateUp({ ...base, env: 'staging', verify: false })
  // staging's meta table says protected while its config does not (a run with a protecting config did it).
  const client = engineClient(engine)
  try {
    const stored = await dynamoMetaStore({
      client,
      table: `ddbm_migrations-s${suffix}`,
    }).recordEnvironment({
      name: 'staging',
      protected: true,
      createdAt: new Date().toISOString(),
      createdBy: 'test',
    })
    expect(stored).toMatchObject({ name: 'staging', protected: true })
  } finally {
    client.destroy()
  }
  return { cwd, suffix }
}

/** A refused command: how to run it, and the destructive steps it names on tables ending in `t`. */
type Refused = {
  name: string
  run: (opts: SessionOptions & ConfirmOptions) => Promise<unknown>
  steps: (t: string, meta: string) => string[]
}

const COMMANDS: Refused[] = [
  {
    name: 'migrate up with deleteTable',
    run: (o) => migrateUp({ ...o, config: 'drop-table.config.json' }),
    steps: (t) => [`0002_drop_table: delete table Legacy-${t}`],
  },
  {
    name: 'migrate up with deleteGsi',
    run: (o) => migrateUp({ ...o, config: 'drop-gsi.config.json' }),
    steps: (t) => [`0002_drop_gsi: delete GSI byEmail on Accounts-${t}`],
  },
  {
    name: 'migrate up turning PITR off',
    run: (o) => migrateUp({ ...o, config: 'pitr-off.config.json' }),
    steps: (t) => [`0002_pitr_off: disable PITR on Accounts-${t}`],
  },
  {
    name: 'migrate up turning deletion protection off',
    run: (o) => migrateUp({ ...o, config: 'unprotect.config.json' }),
    steps: (t) => [`0002_unprotect: disable deletion protection on Accounts-${t}`],
  },
  {
    name: 'migrate down of a createTable',
    run: (o) => migrateDown(o),
    steps: (t) => [
      `0001_tables: delete table Legacy-${t}`,
      `0001_tables: delete table Accounts-${t}`,
    ],
  },
  {
    name: 'seed',
    run: (o) => seed(o),
    steps: (t) => [`write 3 items to Accounts-${t}`],
  },
  {
    name: 'seed --clear',
    run: (o) => seed({ ...o, clear: true }),
    steps: (t) => [`delete every item of Accounts-${t}`, `write 3 items to Accounts-${t}`],
  },
  {
    name: 'db reset',
    run: (o) => reset(o),
    steps: (t, meta) => [
      `delete table Accounts-${t}`,
      `delete table Legacy-${t}`,
      `delete table ${meta}`,
    ],
  },
]

/** What protects the environment, and the answer every unconfirmed command gets. */
type Scenario = {
  name: string
  env: string
  /** The letter of its tables: `p` (prod's) or `s` (staging's). */
  tables: 'p' | 's'
  /** Another environment's name, given to --confirm-env. */
  wrong: string
  expected: (c: Refused, f: Fixture, confirm: ConfirmOptions) => unknown
}

const protectedBy =
  (by: 'config' | 'meta-table', env: string, tables: 'p' | 's') =>
  (c: Refused, f: Fixture, confirm: ConfirmOptions) => {
    const steps = c.steps(`${tables}${f.suffix}`, `ddbm_migrations-${tables}${f.suffix}`)
    const why =
      confirm.confirmEnv !== undefined
        ? `--confirm-env names "${confirm.confirmEnv}", not "${env}"`
        : confirm.yes === true
          ? `--yes does not confirm them: name the environment with --confirm-env ${env}`
          : `confirm with --confirm-env ${env}`
    const command = c.name.startsWith('migrate') ? c.name.split(' ').slice(0, 2).join(' ') : c.name
    return {
      code: 'PROTECTED_ENV',
      exitCode: 2,
      message: `Refusing ${command} on environment "${env}", protected ${by === 'config' ? 'in ddbm.config.json' : 'by its meta table'}:\n  ${steps.join('\n  ')}\n${why}`,
      details: {
        env,
        steps,
        protectedBy: by,
        ...(confirm.confirmEnv === undefined ? {} : { confirmEnv: confirm.confirmEnv }),
      },
    }
  }

const SCENARIOS: Scenario[] = [
  {
    name: 'protected in its config',
    env: 'prod',
    tables: 'p',
    wrong: 'staging',
    expected: protectedBy('config', 'prod', 'p'),
  },
  {
    name: 'protected by its stored identity (the config says not)',
    env: 'staging',
    tables: 's',
    wrong: 'prod',
    expected: protectedBy('meta-table', 'staging', 's'),
  },
  {
    name: "pointed at another environment's tables (stored name prod)",
    env: 'dev',
    tables: 'p',
    wrong: 'prod',
    expected: (_c, f) => ({
      code: 'ENV_MISMATCH',
      exitCode: 2,
      message: expect.stringMatching(
        new RegExp(
          `^Meta table ddbm_migrations-p${f.suffix} belongs to environment "prod" \\(recorded \\S+ by .+\\), not "dev": the config's "dev" points at the tables of "prod"$`,
        ),
      ),
      details: { env: 'dev', stored: 'prod', metaTable: `ddbm_migrations-p${f.suffix}` },
    }),
  },
]

for (const engine of engines()) {
  describeOn(
    engine,
    `${engine.name}: a protected environment refuses unconfirmed destructive commands`,
    () => {
      let fixture: Fixture
      beforeAll(async () => {
        fixture = await build(engine)
      }, 120_000)
      afterAll(async () => {
        if (fixture === undefined) return
        await dropTables(engine.endpoint, fixture.suffix)
        await rm(fixture.cwd, { recursive: true, force: true })
      })

      test("on another environment's tables: status, verify and dry runs warn and go on; unlock and resolve are refused", async () => {
        const base = { cwd: fixture.cwd, endpoint: engine.endpoint, processEnv: {}, env: 'dev' }
        const warning = new RegExp(
          `^Meta table ddbm_migrations-p${fixture.suffix} belongs to environment "prod" \\(recorded .+\\), not "dev": what follows describes the tables of "prod"$`,
        )
        const warned = (events: Event[]) =>
          events.flatMap((e) => (e.kind === 'log' && e.level === 'warn' ? [e.message] : []))
        const count = callCounter()
        const runs: [string, (emit: (e: Event) => void) => Promise<unknown>][] = [
          ['status', (emit) => migrateStatus({ ...base, emit, instrument: count.instrument })],
          ['verify', (emit) => verify({ ...base, emit, instrument: count.instrument })],
          [
            'migrate up --dry-run',
            (emit) =>
              migrateUp({
                ...base,
                config: 'drop-table.config.json',
                dryRun: true,
                emit,
                instrument: count.instrument,
              }),
          ],
          [
            'seed --dry-run',
            (emit) => seed({ ...base, dryRun: true, emit, instrument: count.instrument }),
          ],
        ]
        for (const [name, run] of runs) {
          const events: Event[] = []
          await run((e) => events.push(e))
          expect(warned(events), name).toStrictEqual([expect.stringMatching(warning)])
        }
        const status = await migrateStatus(base)
        expect(status.environment).toMatchObject({ name: 'prod', protected: true })
        for (const refused of [
          () => migrateUnlock({ ...base, yes: true, instrument: count.instrument }),
          () =>
            migrateResolve({
              ...base,
              name: '0001_tables',
              as: 'rolled-back',
              instrument: count.instrument,
            }),
        ]) {
          await expect(refused()).rejects.toMatchObject({ code: 'ENV_MISMATCH', exitCode: 2 })
        }
        expect(count.mutating()).toStrictEqual([])
      })

      for (const scenario of SCENARIOS) {
        for (const command of COMMANDS) {
          test(`${command.name}, ${scenario.name}: exit 2 and no mutating call, without confirmation, naming another environment, or with yes`, async () => {
            const confirmations: ConfirmOptions[] = [
              {},
              { confirmEnv: scenario.wrong },
              { yes: true },
            ]
            for (const confirmation of confirmations) {
              const count = callCounter()
              const err = await command
                .run({
                  cwd: fixture.cwd,
                  endpoint: engine.endpoint,
                  processEnv: {},
                  env: scenario.env,
                  instrument: count.instrument,
                  ...confirmation,
                })
                .then(
                  () => new Error('expected a refusal'),
                  (e: unknown) => e,
                )
              if (!isDdbmError(err)) throw err
              expect({
                code: err.code,
                exitCode: err.exitCode,
                message: err.message,
                details: err.details,
              }).toStrictEqual(scenario.expected(command, fixture, confirmation))
              expect(ERRORS[err.code].exit).toBe(2)
              expect(count.mutating()).toStrictEqual([])
              // It did read: the refusal came from the environment, not from an unreachable endpoint.
              expect(count.calls).toContain('GetItem')
            }
          })
        }
      }
    },
  )
}

/** The protected project (see protectedProjectFiles) for one test: its tables are dropped when it ends. */
async function freshProject(engine: Engine) {
  const suffix = randomUUID().slice(0, 8)
  const cwd = await tempTree('ddbm-protect-', protectedProjectFiles(suffix))
  onTestFinished(() => dropTables(engine.endpoint, suffix))
  const client = engineClient(engine)
  onTestFinished(() => client.destroy())
  return { cwd, suffix, client, base: { cwd, endpoint: engine.endpoint, processEnv: {} } }
}

async function tableNames(engine: Engine, suffix: string): Promise<string[]> {
  const client = engineClient(engine)
  try {
    const { TableNames = [] } = await client.send(new ListTablesCommand({}))
    return TableNames.filter((n) => n.endsWith(suffix)).sort()
  } finally {
    client.destroy()
  }
}

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: a protected environment confirmed by its name`, () => {
    test('every destructive step runs; table and GSI deletions are backed up and recorded where supported', async () => {
      const { suffix, client, base } = await freshProject(engine)
      const t = (logical: string) => `${logical}-p${suffix}`
      await migrateUp({ ...base, env: 'prod', verify: false })
      const events: Event[] = []
      const up = await migrateUp({
        ...base,
        env: 'prod',
        config: 'all.config.json',
        confirmEnv: 'prod',
        verify: false,
        emit: (e) => events.push(e),
      })
      expect(up.status.map((r) => `${r.name} ${r.state}`)).toStrictEqual([
        '0001_tables applied',
        '0002_all applied',
      ])
      expect(await tableNames(engine, suffix)).toStrictEqual([
        t('Accounts'),
        `ddbm_migrations-p${suffix}`,
      ])
      const { Table } = await client.send(new DescribeTableCommand({ TableName: t('Accounts') }))
      expect(Table?.GlobalSecondaryIndexes ?? []).toStrictEqual([])
      const status = await migrateStatus({ ...base, env: 'prod', config: 'all.config.json' })
      expect(status.environment).toMatchObject({ name: 'prod', protected: true })
      const warnings = events.flatMap((e) =>
        e.kind === 'log' && e.level === 'warn' ? [e.message.replace(/ \(.*$/, '')] : [],
      )
      if (!engine.supports.backups) {
        // Reported unsupported, never pretended; the deletions still ran.
        expect(up.backups).toBeUndefined()
        expect(status.rows[1]?.backups).toBeUndefined()
        // Tables are worked on concurrently: the order of the warnings is the order of completion.
        expect(warnings.sort()).toStrictEqual([
          `no backup of ${t('Accounts')}: the endpoint does not implement it`,
          `no backup of ${t('Legacy')}: the endpoint does not implement it`,
        ])
        return
      }
      const arn = expect.stringMatching(/^arn:aws:dynamodb:/)
      // In the order they were taken (tables are worked on concurrently): compared by table.
      expect([...(up.backups ?? [])].sort((a, b) => a.table.localeCompare(b.table))).toStrictEqual([
        { table: t('Accounts'), arn, op: 'deleteGsi', index: 'byEmail', migration: '0002_all' },
        { table: t('Legacy'), arn, op: 'deleteTable', migration: '0002_all' },
      ])
      // The migration record keeps them (migrate status --json shows the record's backups).
      expect(status.rows[1]?.backups).toStrictEqual(up.backups?.map(({ migration: _m, ...b }) => b))
      const infos = events.flatMap((e) =>
        e.kind === 'log' && e.level === 'info' && e.message.startsWith('backup ')
          ? [e.message]
          : [],
      )
      expect(infos).toStrictEqual(
        (up.backups ?? []).map((b) => `backup of ${b.table} AVAILABLE: ${b.arn}`),
      )
      for (const b of up.backups ?? []) {
        const { BackupDescription } = await client.send(
          new DescribeBackupCommand({ BackupArn: b.arn }),
        )
        expect([
          BackupDescription?.BackupDetails?.BackupStatus,
          BackupDescription?.SourceTableDetails?.TableName,
        ]).toStrictEqual(['AVAILABLE', b.table])
        await client.send(new DeleteBackupCommand({ BackupArn: b.arn }))
      }
    })

    test('db reset deletes (backing up where supported), then keeps the protection its meta table recorded', async () => {
      const { suffix, client, base } = await freshProject(engine)
      const t = (logical: string) => `${logical}-s${suffix}`
      await migrateUp({ ...base, env: 'staging', verify: false })
      const store = dynamoMetaStore({ client, table: `ddbm_migrations-s${suffix}` })
      await store.recordEnvironment(identity('staging', { protected: true }))
      const result = await reset({ ...base, env: 'staging', confirmEnv: 'staging' })
      expect(result.deleted).toStrictEqual([
        t('Accounts'),
        t('Legacy'),
        `ddbm_migrations-s${suffix}`,
      ])
      expect(result.seed.tables.map((r) => [r.physical, r.written])).toStrictEqual([
        [t('Accounts'), 3],
      ])
      expect(await store.readEnvironment()).toMatchObject({ name: 'staging', protected: true })
      if (!engine.supports.backups) {
        expect(result.backups).toBeUndefined()
        return
      }
      expect(result.backups?.map((b) => [b.op, b.table]).sort()).toStrictEqual(
        result.deleted.map((table) => ['deleteTable', table]).sort(),
      )
      for (const b of result.backups ?? []) {
        await client.send(new DeleteBackupCommand({ BackupArn: b.arn }))
      }
    })
  })
}

describe('migrate under the lock', () => {
  test('a destructive step that joined the selection after the confirmation is refused', async () => {
    const engine = engines()[0] as Engine
    const cwd = await tempTree('ddbm-protect-race-', {
      'ddbm.config.json': {
        version: 1,
        defaultEnv: 'prod',
        environments: { prod: { protected: true } },
      },
      'migrations/0001_accounts.json': {
        version: 1,
        up: [{ op: 'createTable', table: 'Accounts', definition: ACCOUNTS }],
        down: [{ op: 'deleteTable', table: 'Accounts' }],
      },
      'migrations/0002_extra.json': {
        version: 1,
        up: [
          { op: 'createTable', table: 'Extra', definition: { ...ACCOUNTS, TableName: 'Extra' } },
        ],
        down: [{ op: 'deleteTable', table: 'Extra' }],
      },
    })
    const { migrations } = await loadMigrations(`${cwd}/migrations`, { root: cwd })
    const applied = migrations.map((m) => storedRecord(m.name, { checksum: m.checksum }))
    const memory = memoryMetaStore({
      records: applied.slice(0, 1),
      environment: identity('prod', { protected: true }),
    })
    // Another run applies 0002 between this run's read-only plan and its lock.
    let reads = 0
    const metaStore = {
      ...memory,
      readRecords: async () => (++reads === 1 ? memory.readRecords() : applied),
    }
    const asked: string[] = []
    const err = await migrateDown({
      cwd,
      env: 'prod',
      endpoint: engine.endpoint,
      processEnv: {},
      metaStore,
      confirm: async (question) => {
        asked.push(question)
        return 'prod'
      },
    }).catch((e: unknown) => e)
    expect(asked).toStrictEqual([
      'Environment "prod" is protected (in ddbm.config.json). migrate down will:\n  0001_accounts: delete table Accounts-prod\nType the environment\'s name to continue:',
    ])
    expect(err).toMatchObject({
      code: 'PROTECTED_ENV',
      message:
        'Refusing migrate down (its selection changed under the lock) on environment "prod", protected in ddbm.config.json:\n  0002_extra: delete table Extra-prod\nconfirm with --confirm-env prod',
    })
    expect(await memory.readLock()).toBeUndefined()
  })
})
