import { describe, expect, test } from 'vitest'
import { seedRanges, tableItems, type SeedRun } from '../../../src/seed/job-items.js'
import { fixture, generator } from './seeds.js'

const customers = generator({
  table: 'Customers',
  count: 10,
  generate: ({ faker, i }) => ({ PK: `CUST#${i}`, name: faker.person.fullName() }),
})
const ordersFixture = fixture('Orders', [
  { PK: 'ORDER#a', customer: 'fixed' },
  { PK: 'ORDER#b', customer: 'fixed' },
  { PK: 'ORDER#c', customer: 'fixed' },
])
const orders = generator({
  table: 'Orders',
  count: 17,
  dependsOn: ['Customers'],
  generate: ({ faker, i, ref }) => ({
    PK: `ORDER#${i}`,
    customer: ref('Customers', faker.number.int({ max: 1000 })).name,
  }),
})
const all = [customers, ordersFixture, orders]
const tableSeeds = [ordersFixture, orders]

const run: SeedRun = {
  seed: 7,
  env: 'local',
  now: Date.UTC(2026, 2, 10),
  count: undefined,
  counts: { Customers: 10, Orders: 17 },
}

/** The items of shards 1..count of the Orders table, in shard order. */
function sharded(count: number, r: SeedRun = run) {
  return Array.from({ length: count }, (_, k) => [
    ...tableItems(tableSeeds, all, r, seedRanges(tableSeeds, r, { index: k + 1, count })),
  ])
}

describe('seedRanges', () => {
  test('without a shard: every item of each seed, fixture first', () => {
    expect(seedRanges(tableSeeds, run)).toStrictEqual([
      { file: 'seeds/Orders.json', from: 0, to: 3, of: 3 },
      { file: 'seeds/Orders.seed.ts', from: 0, to: 17, of: 17 },
    ])
  })

  test('a shard splits each seed file by its own item index; --count applies to generators only', () => {
    expect(seedRanges(tableSeeds, run, { index: 2, count: 3 })).toStrictEqual([
      { file: 'seeds/Orders.json', from: 1, to: 2, of: 3 },
      { file: 'seeds/Orders.seed.ts', from: 5, to: 11, of: 17 },
    ])
    expect(seedRanges(tableSeeds, { ...run, count: 4 }, { index: 3, count: 3 })).toStrictEqual([
      { file: 'seeds/Orders.json', from: 2, to: 3, of: 3 },
      { file: 'seeds/Orders.seed.ts', from: 2, to: 4, of: 4 },
    ])
  })
})

describe('tableItems', () => {
  test('shards 1..N, concatenated in order per file, are exactly the unsharded items (refs included)', () => {
    const whole = [...tableItems(tableSeeds, all, run)]
    expect(whole.map((x) => [x.file, x.i])).toStrictEqual([
      ...[0, 1, 2].map((i) => ['seeds/Orders.json', i]),
      ...Array.from({ length: 17 }, (_, i) => ['seeds/Orders.seed.ts', i]),
    ])
    for (const n of [1, 2, 3, 7, 25]) {
      const shards = sharded(n)
      const byFile = (file: string) => shards.flat().filter((x) => x.file === file)
      expect([...byFile('seeds/Orders.json'), ...byFile('seeds/Orders.seed.ts')]).toStrictEqual(
        whole,
      )
    }
  })

  test('a shard with an empty range yields nothing', () => {
    expect(sharded(25)[0]).toStrictEqual([])
  })
})
