import type { LoadedSeed } from './define-seed.js'
import { countFor, generateItems } from './generate.js'
import type { SeededItem } from './precheck.js'
import { shardRange, type Shard, type ShardRange } from './shard.js'

/** What the items of a seed run are a function of (besides the seeds themselves). */
export type SeedRun = {
  /** The seed number (`--seed`). */
  seed: number
  /** The environment seeded. */
  env: string
  /** The clock of the run, epoch ms (see GenerateOptions `now`). */
  now: number
  /** `--count`: items per generated seed instead of the seed's own count. */
  count: number | undefined
  /** Generated items per logical table in this run, for ref()'s modulus. */
  counts: Readonly<Record<string, number>>
}

/**
 * Per seed of one table (`seeds`, fixture first), the items `shard` writes: [from, to) of the seed's
 * `of` items (shardRange); every item, [0, of), without a shard.
 */
export function seedRanges(
  seeds: readonly LoadedSeed[],
  run: SeedRun,
  shard?: Shard,
): ShardRange[] {
  return seeds.map((s) => {
    const of = countFor(s, run.env, s.kind === 'generator' ? run.count : undefined)
    const range = shard === undefined ? { from: 0, to: of } : shardRange(of, shard)
    return { file: s.file, ...range, of }
  })
}

/**
 * The items of one table, lazily: those of each seed of `seeds` in turn (fixture first) within its range
 * of `ranges` (default every item), each with its file and its index in its own seed. `all` is every seed
 * of the project, for ref(). Pure: the same arguments give the same items.
 */
export function* tableItems(
  seeds: readonly LoadedSeed[],
  all: readonly LoadedSeed[],
  run: SeedRun,
  ranges: readonly ShardRange[] = seedRanges(seeds, run),
): Generator<SeededItem> {
  const { seed, env, now, counts } = run
  for (const [n, s] of seeds.entries()) {
    const { from, to } = ranges[n] ?? { from: 0, to: 0 }
    let i = from
    for (const item of generateItems(s, { seed, env, now, counts, from, to, seeds: all })) {
      yield { item, file: s.file, i: i++ }
    }
  }
}
