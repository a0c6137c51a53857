import { z } from 'zod'

/**
 * The format of a static seed fixture, `seeds/<name>.json`: a fixed list of items for one table, written
 * before the items of that table's generator. `format` says how the items are written: `plain` (the
 * default) as plain JSON values, `dynamodb` as DynamoDB AttributeValue JSON (`{ "id": { "S": "a1" } }`,
 * what `aws dynamodb scan` prints; binary values as base64 text), converted to plain values when loaded.
 * `environments` is an optional allow-list, as for a generator. Strict, so a misspelt property is an error.
 * `$schema` is only for editors.
 */
export const SeedFixture = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1),
  /** Logical table name (one of schemas/). */
  table: z.string().min(1),
  format: z.enum(['plain', 'dynamodb']).optional(),
  /** Optional allow-list of environment names, as a generator's `environments`. */
  environments: z.array(z.string().min(1)).optional(),
  items: z.array(z.record(z.string(), z.unknown())),
})
export type SeedFixture = z.infer<typeof SeedFixture>

/** JSON Schema (draft 2020-12) of a seed fixture, for editors; written to `schema/seed-fixture.schema.json`. */
export function seedFixtureJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(SeedFixture) as Record<string, unknown>
}
