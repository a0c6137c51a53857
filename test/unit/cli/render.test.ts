import { describe, expect, test } from 'vitest'
import type { MigrateResult, MigrateStatus, SeedResult } from '../../../src/api/index.js'
import { renderLocalStatus } from '../../../src/cli/render-local.js'
import { renderMigrate, renderStatus } from '../../../src/cli/render-migrations.js'
import { renderSeed } from '../../../src/cli/render-seed.js'
import { COLOR } from '../../../src/cli/style.js'

const base: MigrateResult = {
  env: 'dev',
  metaTable: 'ddbm_migrations-dev',
  direction: 'up',
  dryRun: false,
  migrations: [
    { name: '0001_create_tables', steps: [] },
    { name: '0002_index', steps: [] },
  ],
  status: [
    { name: '0001_create_tables', state: 'applied', durationMs: 512 },
    { name: '0002_index', state: 'applied', durationMs: 12_345 },
  ],
}

describe('human renderers: aligned tables', () => {
  test('migrate up: the migrations run with state and time, then the verification', () => {
    const text = renderMigrate({
      ...base,
      verify: { env: 'dev', tables: [], summary: { ok: 9, drift: 0, unsupported: 2, pending: 0 } },
    })
    expect(text).toBe(
      [
        'applied 2 migrations in "dev":',
        'migration           state      took',
        '0001_create_tables  applied   0.5 s',
        '0002_index          applied  12.3 s',
        'verified against schemas/: 9 checks ok, 2 unsupported by this endpoint',
      ].join('\n'),
    )
  })

  test('migrate down: one reverted migration, coloured on a terminal', () => {
    const text = renderMigrate(
      { ...base, direction: 'down', migrations: [{ name: '0002_index', steps: [] }] },
      COLOR,
    )
    expect(text).toBe(
      [
        'reverted 1 migration in "dev":',
        '\x1b[1mmigration   state\x1b[22m',
        '0002_index  \x1b[32mreverted\x1b[39m',
      ].join('\n'),
    )
  })

  test('migrate status: states aligned whatever the name length; problems and lock below', () => {
    const s: MigrateStatus = {
      env: 'dev',
      metaTable: 'm',
      rows: [
        {
          name: '0001_a',
          state: 'applied',
          appliedAt: '2026-01-01T00:00:00.000Z',
          appliedBy: 'ci',
          durationMs: 100,
        },
        { name: '0002_a_much_longer_migration_name', state: 'failed', error: 'boom' },
      ],
      problems: [],
      lock: { holder: 'ci pid 1', since: '2026-01-01T00:00:01.000Z' },
    }
    expect(renderStatus(s)).toBe(
      [
        'environment "dev" (meta table m)',
        'migration                          state    applied at                by   took',
        '0001_a                             applied  2026-01-01T00:00:00.000Z  ci  0.1 s',
        '0002_a_much_longer_migration_name  failed',
        '0002_a_much_longer_migration_name: boom',
        'lock held by ci pid 1 since 2026-01-01T00:00:01.000Z',
      ].join('\n'),
    )
  })

  test('seed: counts on the right, a cleared column only when something was cleared', () => {
    const r: SeedResult = {
      env: 'dev',
      seed: 1,
      dryRun: false,
      tables: [
        {
          table: 'Orders',
          physical: 'Orders-dev',
          files: ['seeds/Orders.seed.ts'],
          count: 12_000,
          written: 12_000,
          failed: 0,
          retries: 3,
          throttles: 1,
          seconds: 4.25,
        },
        {
          table: 'ProgramConfig',
          physical: 'ProgramConfig-dev',
          files: ['seeds/ProgramConfig.json'],
          count: 10,
          written: 10,
          failed: 0,
          retries: 0,
          throttles: 0,
          cleared: 10,
          seconds: 0.1,
        },
      ],
    }
    expect(renderSeed(r)).toBe(
      [
        'table              cleared  written  failed  retries  throttles  seconds',
        'Orders-dev                   12,000       0        3          1      4.3',
        'ProgramConfig-dev       10       10       0        0          0      0.1',
      ].join('\n'),
    )
  })

  test('local status: a two-column block, or one line when not running', () => {
    expect(renderLocalStatus({ running: false })).toBe('DynamoDB Local  not running')
    expect(
      renderLocalStatus({
        running: true,
        pid: 42,
        port: 8000,
        endpoint: 'http://127.0.0.1:8000',
        storage: 'disk',
        dataDir: '/p/.ddbm/data',
        startedAt: '2026-01-01T00:00:00.000Z',
        owner: 'command',
      }),
    ).toBe(
      [
        'DynamoDB Local  running',
        'endpoint        http://127.0.0.1:8000',
        'pid             42',
        'storage         disk, data in /p/.ddbm/data',
        'since           2026-01-01T00:00:00.000Z',
        'started by      a ddbm command (stops with it)',
      ].join('\n'),
    )
  })
})
