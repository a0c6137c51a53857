import type { LoadedSeed, SeedDefinition } from '../../../src/seed/define-seed.js'

/** A generator seed of `definition`, in seeds/<table>.seed.ts. */
export function generator(definition: SeedDefinition, file?: string): LoadedSeed {
  return { file: file ?? `seeds/${definition.table}.seed.ts`, kind: 'generator', definition }
}

/** A fixture seed with `items`, in seeds/<table>.json, as loadSeeds builds it. */
export function fixture(table: string, items: Record<string, unknown>[]): LoadedSeed {
  return {
    file: `seeds/${table}.json`,
    kind: 'fixture',
    definition: {
      table,
      count: items.length,
      generate: ({ i }) => structuredClone(items[i] ?? {}),
    },
  }
}

/** The tables the seed tests use, from the one table-fixture module. */
export {
  SEED_BLOBS as BLOBS,
  SEED_CUSTOMERS as CUSTOMERS,
  SEED_ORDERS as ORDERS,
} from '../../fixtures/tables.js'
