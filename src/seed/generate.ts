import type { Faker } from '@faker-js/faker'
// The English locale alone: the package's main entry loads every locale (about 26 MB more memory).
import { faker as english } from '@faker-js/faker/locale/en'
import { DdbmError } from '../errors.js'
import { SEED_REFERENCE_DATE, type Item, type LoadedSeed, type SeedContext } from './define-seed.js'
import { fnv1a32 } from './hash.js'
import { fastRandomizer } from './randomizer.js'

export { SEED_REFERENCE_DATE }

const REFERENCE_MS = Date.parse(SEED_REFERENCE_DATE)
const DAY_MS = 86_400_000
/** Regenerated items kept for `ref()` per generation; a seed that refs at random still mostly hits. */
const REF_CACHE_SIZE = 4096

/** Options of generateItems. */
export type GenerateOptions = {
  /** The seed number of the run (`--seed`). */
  seed: number
  /** The environment seeded. */
  env: string
  /**
   * The real clock, epoch milliseconds, passed in by the caller; rounded down here to its UTC day. Only
   * `ctx.expiresIn()` reads it, so two runs on the same UTC day produce byte-identical items.
   */
  now: number
  /** First index generated (default 0). */
  from?: number
  /** Index after the last one generated (default: the seed's count). */
  to?: number
  /** Every seed of the project, for `ref()`. */
  seeds: readonly LoadedSeed[]
  /**
   * The number of generated items per logical table in this run (countFor with the `--count` override),
   * for the default `to` and for the modulus of `ref()`; default countFor(seed, env) for each table.
   */
  counts?: Readonly<Record<string, number>>
}

/**
 * The count of `seed` in `env`: a fixture's number of items; else `override` when given (`--count`), the
 * entry for `env` of a per-environment count, or its `default`.
 */
export function countFor(seed: LoadedSeed, env: string, override?: number): number {
  const { count } = seed.definition
  if (seed.kind === 'fixture') return typeof count === 'number' ? count : count.default
  if (override !== undefined) return override
  return typeof count === 'number' ? count : (count[env] ?? count.default)
}

/** Whether `seed` runs in `env`: true unless its `environments` allow-list leaves `env` out. */
export function appliesTo(seed: LoadedSeed, env: string): boolean {
  const allowed = seed.definition.environments
  return allowed === undefined || allowed.includes(env)
}

/** The 32-bit faker seed of item `i` of `table` for seed number `seed`. */
export function itemSeed(seed: number, table: string, i: number): number {
  return fnv1a32(`${seed}:${table}:${i}`)
}

/**
 * Items `from` to `to - 1` of `seed`, lazily: memory stays flat however many are drawn. Item `i` is a
 * pure function of (seed number, table, i, env) and of the UTC day of `now` through `expiresIn` only:
 * faker is re-seeded for every item from itemSeed() with its reference date pinned to
 * SEED_REFERENCE_DATE, so the output does not depend on the order seeds run in nor on the range drawn
 * (items 100..199 equal the slice 100..199 of 0..999). A fixture yields its items. `generate` throwing
 * or returning no object, and `ref()` to a table outside `dependsOn`, are SEED_INVALID naming the file.
 */
export function* generateItems(seed: LoadedSeed, opts: GenerateOptions): Generator<Item> {
  const runtime = new SeedRuntime(opts)
  const count = runtime.countOf(seed)
  const from = Math.max(0, opts.from ?? 0)
  const to = Math.min(count, opts.to ?? count)
  for (let i = from; i < to; i++) yield runtime.item(seed, i)
}

/** One generation's state: a faker per table and the cache of regenerated items for `ref()`. */
class SeedRuntime {
  private readonly fakers = new Map<string, Faker>()
  private readonly cache = new Map<string, Item>()
  private readonly expiresBase: number

  constructor(private readonly opts: GenerateOptions) {
    this.expiresBase = Math.floor(opts.now / DAY_MS) * DAY_MS
  }

  countOf(seed: LoadedSeed): number {
    const override =
      seed.kind === 'generator' ? this.opts.counts?.[seed.definition.table] : undefined
    return countFor(seed, this.opts.env, override)
  }

  /** Item `i` of `seed`. Each table has its own faker: a ref() inside generate() must not re-seed it. */
  item(seed: LoadedSeed, i: number): Item {
    const { table } = seed.definition
    let faker = this.fakers.get(table)
    if (faker === undefined) {
      const FakerClass = english.constructor as typeof Faker
      faker = new FakerClass({ locale: english.rawDefinitions, randomizer: fastRandomizer() })
      faker.setDefaultRefDate(REFERENCE_MS)
      this.fakers.set(table, faker)
    }
    faker.seed(itemSeed(this.opts.seed, table, i))
    const ctx: SeedContext = {
      faker,
      i,
      env: this.opts.env,
      seed: this.opts.seed,
      ref: (other, j) => this.ref(seed, other, j),
      expiresIn: (days) => Math.floor((this.expiresBase + days * DAY_MS) / 1000),
    }
    let item: unknown
    try {
      item = seed.definition.generate(ctx)
    } catch (err) {
      if (err instanceof DdbmError) throw err
      const reason = err instanceof Error ? err.message : String(err)
      const message = `generate() threw for item ${i}: ${reason}`
      throw seedError(seed, 'generate', message, 'fix generate(); --verbose shows the stack', err)
    }
    const promise = typeof (item as { then?: unknown } | null)?.then === 'function'
    if (typeof item !== 'object' || item === null || Array.isArray(item) || promise) {
      const found = promise
        ? 'a Promise (generate must not be async)'
        : Array.isArray(item)
          ? 'an array'
          : item === null
            ? 'null'
            : typeof item
      const hint = 'return one object per call, e.g. ({ faker, i }) => ({ id: `ITEM#${i}` })'
      throw seedError(
        seed,
        'generate',
        `generate() returned ${found} for item ${i}, not an object`,
        hint,
      )
    }
    return item as Item
  }

  /** Item `j mod n` of `table` as written in this run: its fixture's items first, then generated ones. */
  private ref(from: LoadedSeed, table: string, j: number): Item {
    const call = `ref(${JSON.stringify(table)}, ${j})`
    if (table === from.definition.table) {
      const hint = 'an item cannot refer to items of its own table; use ctx.i or faker instead'
      throw seedError(from, 'generate', `${call}: refers to its own table`, hint)
    }
    if (!(from.definition.dependsOn ?? []).includes(table)) {
      const deps = JSON.stringify([...(from.definition.dependsOn ?? []), table])
      throw seedError(
        from,
        'dependsOn',
        `ref(${JSON.stringify(table)}, ${j}): ${JSON.stringify(table)} is not in dependsOn`,
        `add it: dependsOn: ${deps}, so that its seed runs first`,
      )
    }
    const sources = this.opts.seeds.filter(
      (s) => s.definition.table === table && appliesTo(s, this.opts.env),
    )
    sources.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'fixture' ? -1 : 1))
    const sizes = sources.map((s) => this.countOf(s))
    const total = sizes.reduce((sum, n) => sum + n, 0)
    if (!Number.isInteger(j)) {
      const hint = 'pass an integer such as ctx.i or faker.number.int({ max: 1000 })'
      throw seedError(from, 'generate', `${call}: the index must be an integer`, hint)
    }
    if (total === 0) {
      throw seedError(
        from,
        'dependsOn',
        `${call}: no seed writes items of ${table} in environment ${this.opts.env}`,
        `add a seed for ${table} that runs in ${this.opts.env}, or remove the ref`,
      )
    }
    let k = ((j % total) + total) % total
    let n = 0
    while (k >= (sizes[n] ?? 0)) k -= sizes[n++] ?? 0
    const source = sources[n]
    if (source === undefined) throw new DdbmError('INTERNAL', `ref(): index ${k} beyond ${table}`)
    const key = `${n}\u0000${table}\u0000${k}`
    let item = this.cache.get(key)
    if (item === undefined) {
      item = this.item(source, k)
      if (this.cache.size >= REF_CACHE_SIZE) {
        const oldest = this.cache.keys().next().value
        if (oldest !== undefined) this.cache.delete(oldest)
      }
    } else this.cache.delete(key)
    this.cache.set(key, item)
    // a copy: the caller may change what it got without changing the next ref() to the same item
    return structuredClone(item)
  }
}

/**
 * SEED_INVALID carrying the one Issue (file, path, message, hint) that `ddbm validate` would print; the
 * reporter prints the Issue with its hint, then the catalogue's hint.
 */
function seedError(
  seed: LoadedSeed,
  path: string,
  message: string,
  hint: string,
  cause?: unknown,
): DdbmError {
  const issues = [{ file: seed.file, path, message, hint }]
  return new DdbmError('SEED_INVALID', `${seed.file}: ${message}`, { issues }, { cause })
}
