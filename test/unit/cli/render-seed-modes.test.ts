import { describe, expect, test } from 'vitest'
import type { SeedResult } from '../../../src/api/index.js'
import { renderSeed } from '../../../src/cli/render-seed.js'
import { shardVerifySkipped } from '../../../src/seed/shard.js'

const orders = {
  table: 'Orders',
  physical: 'Orders-ci',
  files: ['seeds/Orders.json', 'seeds/Orders.seed.ts'],
  count: 4_001,
  written: 4_001,
  failed: 0,
  retries: 0,
  throttles: 2,
  seconds: 1.25,
}

describe('seed renderer: sharded and --verify-only runs', () => {
  test('a shard: its table of writes, then why nothing was verified', () => {
    const shard = { index: 2, count: 3 }
    const r: SeedResult = {
      env: 'ci',
      seed: 1,
      dryRun: false,
      shard,
      tables: [
        {
          ...orders,
          ranges: [
            { file: 'seeds/Orders.json', from: 1, to: 2, of: 3 },
            { file: 'seeds/Orders.seed.ts', from: 4_000, to: 8_000, of: 12_000 },
          ],
        },
      ],
      verifySkipped: shardVerifySkipped(shard),
    }
    expect(renderSeed(r)).toBe(
      [
        'shard 2/3 of seed 1:',
        'table      written  failed  retries  throttles  seconds',
        'Orders-ci    4,001       0        0          2      1.3',
        'not verified: sharded run (--shard 2/3): the tables hold the whole seed only when every shard has finished; verify once afterwards with `ddbm seed --verify-only` (same --seed, --count, --table)',
      ].join('\n'),
    )
  })

  test('--verify-only: no table of writes, the summary and the verification', () => {
    const r: SeedResult = {
      env: 'ci',
      seed: 1,
      dryRun: false,
      verifyOnly: true,
      tables: [
        {
          ...orders,
          count: 12_003,
          written: 0,
          throttles: 0,
          seconds: 0,
          summary: { attribute: 'status', counts: { NEW: 12_003 } },
        },
      ],
      verify: { env: 'ci', tables: [], summary: { ok: 7, drift: 0, unsupported: 0, pending: 0 } },
    }
    expect(renderSeed(r)).toBe(
      [
        'verify only: nothing written; Orders-ci held to seed 1',
        'Orders-ci by status: NEW 12003',
        'verified: 7 checks ok (0 of the seeded data)',
      ].join('\n'),
    )
  })

  test('a dry run of a shard names the shard', () => {
    const r: SeedResult = {
      env: 'ci',
      seed: 3,
      dryRun: true,
      shard: { index: 1, count: 7 },
      tables: [{ ...orders, count: 2, written: 0, sample: [{ PK: 'ORDER#0' }] }],
    }
    expect(renderSeed(r)).toBe(
      [
        'dry run: nothing written to "ci" (seed 3, shard 1/7)',
        'Orders-ci: 2 items from seeds/Orders.json, seeds/Orders.seed.ts; first 1:',
        '  {"PK":"ORDER#0"}',
      ].join('\n'),
    )
  })
})
