import type { LoadedSeed, SeedDefinition } from '../../../src/seed/define-seed.js'
import type { TableSchema } from '../../../src/schema/table-schema.js'

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

/** Customers: PK (S) and SK (S), a sparse GSI on activeFlag (S) and score (N). */
export const CUSTOMERS: TableSchema = {
  TableName: 'Customers',
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' },
    { AttributeName: 'SK', AttributeType: 'S' },
    { AttributeName: 'activeFlag', AttributeType: 'S' },
    { AttributeName: 'score', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' },
    { AttributeName: 'SK', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [
    {
      IndexName: 'Active',
      KeySchema: [
        { AttributeName: 'activeFlag', KeyType: 'HASH' },
        { AttributeName: 'score', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
}

/** Orders: id (N) only, and a binary-keyed Blobs table: key (B). */
export const ORDERS: TableSchema = {
  TableName: 'Orders',
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
}

export const BLOBS: TableSchema = {
  TableName: 'Blobs',
  AttributeDefinitions: [{ AttributeName: 'key', AttributeType: 'B' }],
  KeySchema: [{ AttributeName: 'key', KeyType: 'HASH' }],
}
