import { describe, expect, test } from 'vitest'
import type { LoadedSeed } from '../../../src/seed/define-seed.js'
import { orderSeeds } from '../../../src/seed/order.js'
import { fixture, generator } from './seeds.js'

const seed = (table: string, dependsOn?: string[]): LoadedSeed =>
  generator({
    table,
    count: 1,
    ...(dependsOn === undefined ? {} : { dependsOn }),
    generate: () => ({}),
  })

const files = (seeds: readonly LoadedSeed[]) => seeds.map((s) => s.file)

describe('orderSeeds', () => {
  test('dependencies first; among tables free to run, by name; the order of files does not matter', () => {
    const seeds = [
      seed('Events', ['Candidates']),
      seed('Candidates', ['Programs']),
      seed('Zeta'),
      seed('Programs'),
      seed('Alpha'),
      seed('Scores', ['Candidates']),
    ]
    const expected = [
      'seeds/Alpha.seed.ts',
      'seeds/Programs.seed.ts',
      'seeds/Candidates.seed.ts',
      'seeds/Events.seed.ts',
      'seeds/Scores.seed.ts',
      'seeds/Zeta.seed.ts',
    ]
    expect(orderSeeds(seeds)).toStrictEqual({ order: expect.any(Array), issues: [] })
    expect(files(orderSeeds(seeds).order)).toStrictEqual(expected)
    expect(files(orderSeeds([...seeds].reverse()).order)).toStrictEqual(expected)
  })

  test("a table's fixture runs right before its generator", () => {
    const order = orderSeeds([seed('items'), fixture('items', []), seed('Alpha', ['items'])]).order
    expect(files(order)).toStrictEqual([
      'seeds/items.json',
      'seeds/items.seed.ts',
      'seeds/Alpha.seed.ts',
    ])
  })

  test('a cycle is one issue naming it; the order still holds every seed', () => {
    const result = orderSeeds([seed('A', ['B']), seed('B', ['C']), seed('C', ['A']), seed('D')])
    expect(result.issues).toStrictEqual([
      {
        file: 'seeds/A.seed.ts',
        path: 'dependsOn',
        message: 'dependsOn forms a cycle: A → B → C → A',
        hint: 'remove one of these dependsOn entries: a seed runs after the tables it depends on, so a cycle has no first seed',
      },
    ])
    expect(files(result.order).sort()).toStrictEqual([
      'seeds/A.seed.ts',
      'seeds/B.seed.ts',
      'seeds/C.seed.ts',
      'seeds/D.seed.ts',
    ])
  })

  test('two cycles are two issues; a seed depending on itself is a cycle', () => {
    const result = orderSeeds([seed('A', ['B']), seed('B', ['A']), seed('S', ['S'])])
    expect(result.issues.map((i) => i.message)).toStrictEqual([
      'dependsOn forms a cycle: A → B → A',
      'dependsOn forms a cycle: S → S',
    ])
  })

  test('dependsOn naming a table without a seed is an issue with a did-you-mean hint', () => {
    const result = orderSeeds([seed('Candidates'), seed('Events', ['Candidate'])])
    expect(result.issues).toStrictEqual([
      {
        file: 'seeds/Events.seed.ts',
        path: 'dependsOn[0]',
        message: '"Candidate" has no seed',
        hint: 'did you mean "Candidates"? tables with seeds: "Candidates"; or add a seed for Candidate',
      },
    ])
    expect(files(result.order)).toStrictEqual(['seeds/Candidates.seed.ts', 'seeds/Events.seed.ts'])
  })
})
