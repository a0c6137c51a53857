import { DdbmError } from '../errors.js'

/**
 * One runner's share of a sharded seed run (`--shard I/N`): `index` is this runner's number from 1 to
 * `count`, as typed, and `count` the number of runners.
 */
export type Shard = { index: number; count: number }

/** The items of one seed file a shard writes: indexes `from` to `to - 1` of the file's `of` items. */
export type ShardRange = { file: string; from: number; to: number; of: number }

/** What `--shard` takes, for the hint of a value it refuses. */
const SHARD_HINT =
  '--shard takes I/N: N the number of runners, I this runner’s number from 1 to N (e.g. --shard 2/3 in a matrix of 3 jobs).'

/**
 * Parses the text of `--shard` ("2/3": runner 2 of 3) into a Shard. Anything but two decimal integers
 * around one slash with 1 <= I <= N (`0/3`, `4/3`, `a/b`, `3`) is DdbmError USAGE with a hint.
 */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  if (match === null) {
    throw usage(`--shard must be I/N (two integers around a slash), got "${text}"`, text)
  }
  return checkShard({ index: Number(match[1]), count: Number(match[2]) }, text)
}

/**
 * `shard` itself when `count` is a safe integer of at least 1 and `index` an integer from 1 to `count`;
 * otherwise DdbmError USAGE with a hint (`typed`: the text as the user gave it, for the message).
 */
export function checkShard(shard: Shard, typed = `${shard.index}/${shard.count}`): Shard {
  const { index, count } = shard
  if (!Number.isSafeInteger(count) || count < 1) {
    throw usage(`--shard ${typed}: the number of runners must be at least 1`, typed)
  }
  if (!Number.isSafeInteger(index) || index < 1 || index > count) {
    throw usage(`--shard ${typed}: the runner’s number must be from 1 to ${count}`, typed)
  }
  return shard
}

/**
 * The half-open range [from, to) of item indexes out of `items` that shard `index` of `count` writes:
 * [floor(items * (index - 1) / count), floor(items * index / count)). The shards 1..count of one seed
 * are contiguous, disjoint and cover 0..items - 1 exactly; their sizes differ by at most one, and with
 * more shards than items some ranges are empty. Pure; `shard` is assumed checked (checkShard).
 */
export function shardRange(items: number, shard: Shard): { from: number; to: number } {
  // The last shard ends at `items` itself, as an unsharded run does (whatever `items` is).
  const at = (k: number) => (k === shard.count ? items : Math.floor((items * k) / shard.count))
  return { from: at(shard.index - 1), to: at(shard.index) }
}

/** Items in `ranges` (what a shard writes of a table). */
export function rangeTotal(ranges: readonly ShardRange[]): number {
  return ranges.reduce((sum, r) => sum + r.to - r.from, 0)
}

/** The reason a sharded run gives for not verifying (SeedResult `verifySkipped`). */
export function shardVerifySkipped(shard: Shard): string {
  return (
    `sharded run (--shard ${shard.index}/${shard.count}): the tables hold the whole seed only when every ` +
    'shard has finished; verify once afterwards with `ddbm seed --verify-only` (same --seed, --count, --table)'
  )
}

function usage(message: string, typed: string): DdbmError {
  return new DdbmError('USAGE', message, { name: '--shard', value: typed }, { hint: SHARD_HINT })
}

/** The flags of a seed run that sharding and `--verify-only` rule out together. */
export type SeedModes = { shard?: Shard; clear?: boolean; dryRun?: boolean; verifyOnly?: boolean }

/**
 * Refuses, before anything is read or written, the combinations that cannot be honest (DdbmError USAGE,
 * exit 2, with a hint): `clear` with `shard` (each runner would delete what the others wrote), and
 * `verifyOnly` with `shard`, `clear` or `dryRun` (it checks the whole seed and writes nothing). Checks
 * `shard` itself (checkShard).
 */
export function checkSeedModes(modes: SeedModes): void {
  if (modes.shard !== undefined) checkShard(modes.shard)
  if (modes.shard !== undefined && modes.clear === true) {
    throw new DdbmError(
      'USAGE',
      "Can't use --clear with --shard: each runner would delete the items the others wrote",
      { name: '--clear' },
      {
        hint: 'Clear once before the sharded jobs, in a step of its own: `ddbm seed --clear --count 0` (empties the seeded tables, writes only the fixtures) or `ddbm db reset --count 0` (new, migrated tables); then run the shards without --clear.',
      },
    )
  }
  if (modes.verifyOnly === true) {
    const other =
      modes.shard !== undefined
        ? '--shard'
        : modes.clear === true
          ? '--clear'
          : modes.dryRun === true
            ? '--dry-run'
            : undefined
    if (other !== undefined) {
      throw new DdbmError(
        'USAGE',
        `Can't use --verify-only with ${other}: it checks the whole seed and writes nothing`,
        { name: '--verify-only' },
        {
          hint: 'Run `ddbm seed --verify-only` once, after every shard has finished, with the --seed, --count and --table of the shards.',
        },
      )
    }
  }
}
