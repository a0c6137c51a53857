import { describe, expect, test } from 'vitest'
import { checkSeeds } from '../../../src/seed/check-seeds.js'
import type { LoadedSeed } from '../../../src/seed/define-seed.js'
import { CUSTOMERS, fixture, generator, ORDERS } from './seeds.js'

const OPTS = {
  tables: [CUSTOMERS, ORDERS],
  environments: ['local', 'dev', 'staging'],
  env: 'local',
}

const customers = generator({
  table: 'Customers',
  count: 100,
  environments: ['local', 'dev'],
  summarizeBy: 'tier',
  generate: ({ i, faker }) => ({ PK: `C#${i}`, SK: 'PROFILE', tier: faker.word.noun() }),
})
const orders = generator({
  table: 'Orders',
  count: 10,
  dependsOn: ['Customers'],
  generate: ({ i, ref }) => ({ id: i + 100, customer: ref('Customers', i).PK }),
})

const check = (seeds: LoadedSeed[], opts = OPTS) => checkSeeds(seeds, opts)

describe('checkSeeds', () => {
  test('valid seeds, a fixture and a generator of one table included: no issues', () => {
    const fixed = fixture('Orders', [{ id: 1 }, { id: 2 }])
    expect(check([customers, orders, fixed])).toStrictEqual([])
  })

  test('an unknown table, with the tables of schemas/ and a did-you-mean hint', () => {
    const typo = generator({ table: 'Customer', count: 1, generate: () => ({ PK: 'a', SK: 'b' }) })
    expect(check([typo])).toStrictEqual([
      {
        file: 'seeds/Customer.seed.ts',
        path: 'table',
        message: '"Customer" is not a table of schemas/',
        hint: 'did you mean "Customers"? tables of schemas/: "Customers", "Orders"',
      },
    ])
  })

  test('two generators (or two fixtures) for one table', () => {
    const again = generator(customers.definition, 'seeds/more-customers.seed.ts')
    const f1 = fixture('Orders', [{ id: 1 }])
    const f2 = { ...fixture('Orders', [{ id: 2 }]), file: 'seeds/orders-2.json' }
    expect(check([customers, again, f1, f2])).toStrictEqual([
      {
        file: 'seeds/more-customers.seed.ts',
        path: 'table',
        message: 'a second generator for table "Customers" (the first is seeds/Customers.seed.ts)',
        hint: 'keep one generator per table (a table may have one generator and one fixture): merge the two files',
      },
      {
        file: 'seeds/orders-2.json',
        path: 'table',
        message: 'a second fixture for table "Orders" (the first is seeds/Orders.json)',
        hint: 'keep one fixture per table (a table may have one generator and one fixture): merge the two files',
      },
    ])
  })

  test('unknown dependsOn, cycles and unknown environments; such seeds are not sampled', () => {
    const a = generator({
      table: 'Customers',
      count: 1,
      dependsOn: ['Orders'],
      generate: () => ({}),
    })
    const b = generator({
      table: 'Orders',
      count: 1,
      dependsOn: ['Customers', 'Nope'],
      environments: ['stagign'],
      generate: () => ({}),
    })
    expect(check([a, b])).toStrictEqual([
      {
        file: 'seeds/Orders.seed.ts',
        path: 'environments[0]',
        message: '"stagign" is not an environment of ddbm.config.json',
        hint: 'did you mean "staging"? environments: "staging", "local", "dev"',
      },
      {
        file: 'seeds/Orders.seed.ts',
        path: 'dependsOn[1]',
        message: '"Nope" has no seed',
        hint: 'tables with seeds: "Customers"; or add a seed for Nope',
      },
      {
        file: 'seeds/Customers.seed.ts',
        path: 'dependsOn',
        message: 'dependsOn forms a cycle: Customers → Orders → Customers',
        hint: 'remove one of these dependsOn entries: a seed runs after the tables it depends on, so a cycle has no first seed',
      },
    ])
  })

  test('the sample: items 0 to 4 with a missing sort key or a wrong type, named by index', () => {
    const bad = generator({
      table: 'Customers',
      count: 1000,
      generate: ({ i }) =>
        i === 2 ? { PK: `C#${i}` } : i === 4 ? { PK: i, SK: 'x' } : { PK: `C#${i}`, SK: 'x' },
    })
    const hint =
      'return from generate() the key of Customers: PK (S), SK (S), and index keys of their declared types (S: string, N: number, B: Uint8Array)'
    expect(check([bad])).toStrictEqual([
      {
        file: 'seeds/Customers.seed.ts',
        path: 'generate',
        message: 'item 2: missing key attribute "SK" (S, the sort key)',
        hint,
      },
      {
        file: 'seeds/Customers.seed.ts',
        path: 'generate',
        message:
          'item 4: key attribute "PK" (S, the partition key) must be a string, found the number 4',
        hint,
      },
    ])
  })

  test('the sample finds duplicate keys, also against the fixture, and every fixture item is checked', () => {
    const fixed = fixture('Orders', [{ id: 100 }, { id: 7 }, { id: 7 }, { id: '8' }, { id: 9 }])
    const issues = check([customers, orders, fixed])
    expect(issues).toStrictEqual([
      {
        file: 'seeds/Orders.json',
        path: 'items[2]',
        message: 'has the same primary key as items[1] of seeds/Orders.json: ["N:7"]',
        hint: 'give every item its own key: a second item with the same key replaces the first',
      },
      {
        file: 'seeds/Orders.json',
        path: 'items[3]',
        message: 'key attribute "id" (N, the partition key) must be a number, found string "8"',
        hint: 'give every item the key of Orders: id (N), and index keys of their declared types (S: string, N: number, B: Uint8Array)',
      },
      {
        file: 'seeds/Orders.seed.ts',
        path: 'generate',
        message: 'item 0: has the same primary key as items[0] of seeds/Orders.json: ["N:100"]',
        hint: 'derive the key from something unique (ctx.i, faker.string.uuid()); a second item with the same key replaces the first',
      },
    ])
  })

  test('a generate() that throws is an issue; a seed outside the default env is sampled in its own', () => {
    const boom = generator({
      table: 'Customers',
      count: 3,
      generate: ({ i }) => {
        if (i === 1) throw new TypeError("Cannot read properties of undefined (reading 'x')")
        return { PK: 'C', SK: String(i) }
      },
    })
    expect(check([boom])).toStrictEqual([
      {
        file: 'seeds/Customers.seed.ts',
        path: 'generate',
        message: "generate() threw for item 1: Cannot read properties of undefined (reading 'x')",
        hint: 'fix generate(); --verbose shows the stack',
      },
    ])
    const envs: string[] = []
    const stagingOnly = generator({
      table: 'Customers',
      count: 2,
      environments: ['staging'],
      generate: ({ i, env }) => ({ PK: `C#${i}`, SK: String(envs.push(env)) }),
    })
    expect(check([stagingOnly])).toStrictEqual([])
    expect(envs).toStrictEqual(['staging', 'staging'])
  })
})
