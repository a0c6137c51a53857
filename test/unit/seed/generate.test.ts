import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { isDdbmError } from '../../../src/errors.js'
import type { Item, LoadedSeed } from '../../../src/seed/define-seed.js'
import {
  appliesTo,
  countFor,
  generateItems,
  itemSeed,
  SEED_REFERENCE_DATE,
  type GenerateOptions,
} from '../../../src/seed/generate.js'
import { fixture, generator } from './seeds.js'

const DAY = 86_400_000
/** 2026-03-10T09:30:00Z: a run day after the reference date. */
const NOW = Date.UTC(2026, 2, 10, 9, 30)

const customers = generator({
  table: 'Customers',
  count: { default: 50, staging: 2000 },
  generate: ({ faker, i, expiresIn }) => ({
    PK: `CUST#${i}`,
    name: faker.person.fullName(),
    email: faker.internet.email(),
    joined: faker.date.recent({ days: 30 }).toISOString(),
    score: faker.number.float({ max: 100, fractionDigits: 1 }),
    expiresAt: expiresIn(30),
  }),
})

const orders = generator({
  table: 'Orders',
  count: 100,
  dependsOn: ['Customers'],
  generate: ({ faker, i, ref }) => {
    const customer = ref('Customers', faker.number.int({ max: 1_000_000 }))
    return { id: i, customer: customer.PK, name: customer.name, total: faker.number.int(500) }
  },
})

function run(seed: LoadedSeed, opts: Partial<GenerateOptions> = {}): Item[] {
  return [
    ...generateItems(seed, {
      seed: 1,
      env: 'local',
      now: NOW,
      seeds: [customers, orders],
      ...opts,
    }),
  ]
}

/** sha256 of the items as JSON lines: what a test compares to say "the same content". */
function contentHash(items: readonly Item[]): string {
  return createHash('sha256')
    .update(items.map((item) => JSON.stringify(item)).join('\n'))
    .digest('hex')
}

function seedInvalid(fn: () => unknown): { message: string; issues: unknown } {
  try {
    fn()
  } catch (err) {
    if (isDdbmError(err, 'SEED_INVALID'))
      return { message: err.message, issues: err.details.issues }
    throw err
  }
  throw new Error('expected SEED_INVALID')
}

describe('determinism', () => {
  test('two generations have the same content; another seed number other content', () => {
    const a = run(customers, { to: 1000, counts: { Customers: 1000 } })
    const b = run(customers, { to: 1000, counts: { Customers: 1000 } })
    expect(a).toHaveLength(1000)
    expect(contentHash(a)).toBe(contentHash(b))
    const other = run(customers, { seed: 2, counts: { Customers: 1000 } })
    expect(contentHash(other)).not.toBe(contentHash(a))
    expect(other.map((c) => c.PK)).toStrictEqual(a.map((c) => c.PK))
  })

  test('range 100..200 equals the slice 100..200 of 0..1000', () => {
    const counts = { Customers: 1000 }
    const all = run(customers, { counts })
    expect(all).toHaveLength(1000)
    expect(run(customers, { from: 100, to: 200, counts })).toStrictEqual(all.slice(100, 200))
    expect(run(orders, { from: 40, to: 60, counts })).toStrictEqual(
      run(orders, { counts }).slice(40, 60),
    )
  })

  test('the order of the seed files does not matter, nor what ran before', () => {
    const forward = run(orders, { seeds: [customers, orders] })
    const backward = run(orders, { seeds: [orders, customers] })
    expect(contentHash(backward)).toBe(contentHash(forward))
    run(customers)
    expect(run(orders)).toStrictEqual(forward)
  })

  test('the day of the run changes expiresIn only; the same UTC day gives identical items', () => {
    const morning = run(customers, { now: Date.UTC(2026, 2, 10, 0, 0, 1) })
    const evening = run(customers, { now: Date.UTC(2026, 2, 10, 23, 59, 59) })
    expect(contentHash(evening)).toBe(contentHash(morning))
    const later = run(customers, { now: NOW + 40 * DAY })
    const withoutTtl = (items: Item[]) => items.map(({ expiresAt: _, ...rest }) => rest)
    expect(withoutTtl(later)).toStrictEqual(withoutTtl(morning))
    expect(later[0]?.expiresAt).toBe(Date.UTC(2026, 3, 19) / 1000 + 30 * 86_400)
    expect(morning[0]?.expiresAt).toBe(Date.UTC(2026, 3, 9) / 1000)
  })

  test('faker dates are relative to SEED_REFERENCE_DATE, not to the clock', () => {
    const ref = Date.parse(SEED_REFERENCE_DATE)
    expect(SEED_REFERENCE_DATE).toBe('2026-01-01T00:00:00.000Z')
    for (const c of run(customers)) {
      const joined = Date.parse(String(c.joined))
      expect(joined).toBeLessThanOrEqual(ref)
      expect(joined).toBeGreaterThanOrEqual(ref - 30 * DAY)
    }
  })

  test('the per-item faker seed is a 32-bit hash of seed number, table and index', () => {
    expect(itemSeed(1, 'Customers', 0)).toBe(itemSeed(1, 'Customers', 0))
    const seeds = new Set([
      itemSeed(1, 'Customers', 0),
      itemSeed(1, 'Customers', 1),
      itemSeed(2, 'Customers', 0),
      itemSeed(1, 'Orders', 0),
    ])
    expect(seeds.size).toBe(4)
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true)
  })

  test('a lazy stream: drawing the first items of a million does not generate the rest', () => {
    let calls = 0
    const big = generator({
      table: 'Big',
      count: 1_000_000,
      generate: ({ i }) => ({ id: i, n: ++calls }),
    })
    const stream = generateItems(big, { seed: 1, env: 'local', now: NOW, seeds: [big] })
    expect([stream.next().value, stream.next().value]).toStrictEqual([
      { id: 0, n: 1 },
      { id: 1, n: 2 },
    ])
    expect(calls).toBe(2)
  })
})

describe('ref', () => {
  test('ref(table, j) is item j mod count of that seed, the very item it writes', () => {
    const all = run(customers)
    const seen: Item[] = []
    const probe = generator({
      table: 'Probe',
      count: 3,
      dependsOn: ['Customers'],
      generate: ({ i, ref }) => {
        seen.push(ref('Customers', [0, 51, -1][i] ?? 0))
        return { id: i }
      },
    })
    run(probe, { seeds: [customers, probe] })
    expect(seen).toStrictEqual([all[0], all[1], all[49]])
    const staging = run(customers, { env: 'staging', to: 3 })
    seen.length = 0
    run(probe, { env: 'staging', seeds: [customers, probe] })
    expect(seen[0]).toStrictEqual(staging[0])
    expect(seen[1]).toStrictEqual(run(customers, { env: 'staging', from: 51, to: 52 })[0])
  })

  test('counts of the run set the modulus of ref, and a ref inside generate leaves the item stream alone', () => {
    const seen: unknown[] = []
    const probe = generator({
      table: 'Probe',
      count: 1,
      dependsOn: ['Customers'],
      generate: ({ ref }) => ({ id: 0, c: seen.push(ref('Customers', 12).PK) }),
    })
    run(probe, { seeds: [customers, probe], counts: { Customers: 10 } })
    expect(seen).toStrictEqual(['CUST#2'])
    const withRefs = run(orders)
    const names = withRefs.map((o) => o.name)
    expect(new Set(names).size).toBeGreaterThan(40)
  })

  test('a fixture of the table comes first in the numbering of ref', () => {
    const fixed = fixture('Customers', [{ PK: 'CUST#fixed-a' }, { PK: 'CUST#fixed-b' }])
    const pks: unknown[] = []
    const probe = generator({
      table: 'Probe',
      count: 4,
      dependsOn: ['Customers'],
      generate: ({ i, ref }) => ({
        id: i,
        pk: pks.push(ref('Customers', [0, 1, 2, 52][i] ?? 0).PK),
      }),
    })
    run(probe, { seeds: [customers, fixed, probe] })
    expect(pks).toStrictEqual(['CUST#fixed-a', 'CUST#fixed-b', 'CUST#0', 'CUST#fixed-a'])
  })

  test('ref returns a copy: changing it does not change the next ref', () => {
    const probe = generator({
      table: 'Probe',
      count: 2,
      dependsOn: ['Customers'],
      generate: ({ i, ref }) => {
        const c = ref('Customers', 0)
        const before = c.name
        c.name = 'changed'
        return { id: i, name: before }
      },
    })
    const [a, b] = run(probe, { seeds: [customers, probe] })
    expect(b?.name).toBe(a?.name)
    expect(a?.name).not.toBe('changed')
  })

  test('ref to a table outside dependsOn, or to its own table, is SEED_INVALID naming the file', () => {
    const bad = generator({
      table: 'Bad',
      count: 1,
      dependsOn: ['Orders'],
      generate: ({ ref }) => ref('Customers', 0),
    })
    expect(seedInvalid(() => run(bad, { seeds: [customers, orders, bad] }))).toStrictEqual({
      message: 'seeds/Bad.seed.ts: ref("Customers", 0): "Customers" is not in dependsOn',
      issues: [
        {
          file: 'seeds/Bad.seed.ts',
          path: 'dependsOn',
          message: 'ref("Customers", 0): "Customers" is not in dependsOn',
          hint: 'add it: dependsOn: ["Orders","Customers"], so that its seed runs first',
        },
      ],
    })
    const self = generator({ table: 'Self', count: 1, generate: ({ ref }) => ref('Self', 0) })
    expect(seedInvalid(() => run(self, { seeds: [self] })).message).toBe(
      'seeds/Self.seed.ts: ref("Self", 0): refers to its own table',
    )
  })

  test('ref to a table with no seed in this environment is SEED_INVALID', () => {
    const devOnly = generator({ ...customers.definition, environments: ['dev'] })
    expect(seedInvalid(() => run(orders, { seeds: [devOnly, orders] })).message).toBe(
      'seeds/Orders.seed.ts: ref("Customers", 259390): no seed writes items of Customers in environment local',
    )
  })
})

describe('errors of generate', () => {
  test('a throw names the file and the item', () => {
    const boom = generator({
      table: 'Boom',
      count: 5,
      generate: ({ i }) => {
        if (i === 3) throw new Error('no such thing')
        return { id: i }
      },
    })
    expect(seedInvalid(() => run(boom, { seeds: [boom] })).issues).toStrictEqual([
      {
        file: 'seeds/Boom.seed.ts',
        path: 'generate',
        message: 'generate() threw for item 3: no such thing',
        hint: 'fix generate(); --verbose shows the stack',
      },
    ])
  })

  test('returning something else than an object is refused', () => {
    const arr = generator({ table: 'Arr', count: 1, generate: () => [] as unknown as Item })
    expect(seedInvalid(() => run(arr, { seeds: [arr] })).message).toBe(
      'seeds/Arr.seed.ts: generate() returned an array for item 0, not an object',
    )
    const later = generator({ table: 'Later', count: 1, generate: (async () => ({})) as never })
    expect(seedInvalid(() => run(later, { seeds: [later] })).message).toBe(
      'seeds/Later.seed.ts: generate() returned a Promise (generate must not be async) for item 0, not an object',
    )
  })
})

describe('counts and environments', () => {
  test('countFor: the env entry, else default; --count wins; a fixture counts its items', () => {
    expect(countFor(customers, 'local')).toBe(50)
    expect(countFor(customers, 'staging')).toBe(2000)
    expect(countFor(customers, 'staging', 7)).toBe(7)
    expect(countFor(orders, 'prod')).toBe(100)
    const fixed = fixture('Customers', [{ PK: 'a' }, { PK: 'b' }])
    expect(countFor(fixed, 'local', 10)).toBe(2)
    expect(run(fixed, { seeds: [fixed] })).toStrictEqual([{ PK: 'a' }, { PK: 'b' }])
    expect(run(customers, { env: 'staging', counts: { Customers: 3 } })).toHaveLength(3)
  })

  test('appliesTo follows the allow-list', () => {
    const limited = generator({ ...orders.definition, environments: ['local', 'dev'] })
    expect([
      appliesTo(limited, 'dev'),
      appliesTo(limited, 'prod'),
      appliesTo(orders, 'prod'),
    ]).toStrictEqual([true, false, true])
  })
})
