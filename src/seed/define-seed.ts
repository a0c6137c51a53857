import type { Faker } from '@faker-js/faker'

// Here rather than in generate.ts, which loads faker: `import { defineSeed } from 'ddbm'` stays cheap.
/**
 * The reference date of every seeded faker (2026-01-01T00:00:00Z): relative dates such as
 * `faker.date.recent()`, `past()` or `soon()` are relative to it, not to the day of the run, so the items
 * do not change from one day to the next. Only `ctx.expiresIn(days)` follows the real day (TTL values
 * must lie in the future when written).
 */
export const SEED_REFERENCE_DATE = '2026-01-01T00:00:00.000Z'

/** One item as a seed produces it: plain JavaScript values, marshalled when written. */
export type Item = Record<string, unknown>

/**
 * What `generate` receives for item `i`. `faker` is re-seeded for every item from (seed number, table, i),
 * and its reference date is pinned to SEED_REFERENCE_DATE, so the item is the same whatever the day, the
 * order seeds run in, or the range generated.
 */
export type SeedContext = {
  /** A faker re-seeded for this item; relative dates (`faker.date.soon()`, `recent()`) are relative to SEED_REFERENCE_DATE. */
  faker: Faker
  /** Index of the item in this seed, from 0. */
  i: number
  /** The environment seeded (`--env`). */
  env: string
  /** The seed number of the run (`--seed`): another number, other items. */
  seed: number
  /**
   * Item `j mod count` of a table listed in `dependsOn` (fixture items first, then generated ones), the
   * very item that table's seed writes in this run. Throws for a table not in `dependsOn`.
   */
  ref: (table: string, j: number) => Item
  /**
   * Epoch SECONDS `days` after the day of the run (the real clock's UTC day, passed in by the caller),
   * for TTL attributes, which must lie in the future when the items are written. The one value that
   * depends on the day: two runs on the same UTC day are byte-identical, runs on other days differ in
   * these values only. Fractions of a day are allowed (`expiresIn(0.5)`: twelve hours).
   */
  expiresIn: (days: number) => number
}

/** Item counts: one for every environment, or one per environment name with a `default` for the others. */
export type SeedCount = number | ({ default: number } & Record<string, number>)

/** A seed generator: the default export of a `seeds/<Name>.seed.ts` file. */
export type SeedDefinition = {
  /** Logical table name (one of schemas/). */
  table: string
  /** How many items, for every environment or per environment (`{ default: 500, staging: 50_000 }`). */
  count: SeedCount
  /** Optional allow-list of environment names; `ddbm seed` refuses the others (exit 2) before any write. Default: all. */
  environments?: readonly string[]
  /** Logical tables whose seeds run first and that `ref()` may read. */
  dependsOn?: readonly string[]
  /** Attribute counted in the post-seed summary (e.g. `'status'`). */
  summarizeBy?: string
  /** Item `ctx.i`: a pure function of the context (use `ctx.faker`, never Math.random or the clock). */
  generate: (ctx: SeedContext) => Item
}

/**
 * Declares a seed: returns `def` unchanged, typed, so an editor checks and completes it (a misspelt
 * property is a type error).
 *
 * ```ts
 * import { defineSeed } from 'ddbm'
 * export default defineSeed({
 *   table: 'Customers',
 *   count: { default: 100, staging: 10_000 },
 *   generate: ({ faker, i }) => ({ id: `CUST#${i}`, name: faker.person.fullName() }),
 * })
 * ```
 */
export function defineSeed(def: SeedDefinition): SeedDefinition {
  return def
}

/**
 * A seed as loaded from `seeds/`: a generator (`*.seed.ts`) or a static fixture (`*.json`). A fixture's
 * definition has `count` equal to its number of items and a `generate` that returns item `i` (a copy).
 */
export type LoadedSeed = {
  /** Relative to the project root, with forward slashes (`seeds/Candidates.seed.ts`). */
  file: string
  kind: 'generator' | 'fixture'
  definition: SeedDefinition
}
