import type { Item, LoadedSeed } from '../seed/define-seed.js'
import type { Shard, ShardRange } from '../seed/shard.js'
import type { TableSchema } from '../schema/table-schema.js'
import type { MetaStoreOption } from './migrate-shared.js'
import type { ConfirmOptions } from './protection.js'
import type { SessionOptions } from './session.js'
import type { VerifyResult } from './verify.js'

/**
 * Options of seed(): the session's, the confirmation a protected environment needs, where its meta table
 * lives, and the flags of `ddbm seed`.
 */
export type SeedOptions = SessionOptions &
  ConfirmOptions &
  MetaStoreOption & {
    /** Only the seeds of this logical table (the tables it depends on are regenerated for ref(), not written). */
    table?: string
    /** Items per generated seed, instead of the seed's count for the environment. */
    count?: number
    /** The seed number: the same number gives byte-identical items. Default 1. */
    seed?: number
    /** Delete the table's items first (a parallel scan and batch deletes; the table stays). */
    clear?: boolean
    /** BatchWriteItem requests in flight per table; default the writer's, chosen by measurement. */
    concurrency?: number
    /** Generate and check the items, print a sample and the counts; write nothing. */
    dryRun?: boolean
    /** Items shown per table by a dry run. Default 3. */
    sampleSize?: number
    /** Wall clock (epoch ms) for `ctx.expiresIn()` and the TTL check. Default Date.now. */
    now?: () => number
    /** Longest wait for a GSI to hold every seeded item. Default 30 s. */
    indexWaitMs?: number
    /**
     * Write only this runner's share of each seed (`--shard I/N`, 1-based): items
     * [floor(n*(I-1)/N), floor(n*I/N)) of each seed file of n items, so that shards 1..N together write
     * exactly what one run writes. Every item is still checked before writing; the post-seed
     * verification is skipped (`verifySkipped`); `clear` is refused with it (USAGE).
     */
    shard?: Shard
    /**
     * Write nothing: check every item as a run would, then hold the live tables to the post-seed checks,
     * which expect exactly the seed's items (the last step after sharded runs, `--verify-only`).
     */
    verifyOnly?: boolean
  }

/** What seeding did to one table. */
export type SeedTableResult = {
  /** Logical and physical table name. */
  table: string
  physical: string
  /** The seed files, fixture first. */
  files: string[]
  /** Items generated (and, unless dry run, written). */
  count: number
  written: number
  failed: number
  retries: number
  throttles: number
  /** Items deleted by `--clear`. */
  cleared?: number
  seconds: number
  /** Items per value of the seed's `summarizeBy` attribute, counted on the live table after seeding. */
  summary?: { attribute: string; counts: Record<string, number> }
  /** Dry run only: the first items. */
  sample?: Item[]
  /** Sharded run only: per seed file (fixture first), the items of this shard, [from, to) of `of`. */
  ranges?: ShardRange[]
}

/**
 * The result of seed(): per table, and the post-seed verification (absent on a dry run and on a sharded
 * run, whose `verifySkipped` says why).
 */
export type SeedResult = {
  env: string
  seed: number
  dryRun: boolean
  /** This runner's share, on a sharded run. */
  shard?: Shard
  /** A `--verify-only` run: nothing written, the tables checked against the whole seed. */
  verifyOnly?: boolean
  tables: SeedTableResult[]
  verify?: VerifyResult
  /** Why the post-seed verification did not run (a sharded run), and what runs it. */
  verifySkipped?: string
}

/** The seeds of one table, fixture first, and its schema. */
export type Job = { table: string; schema: TableSchema; seeds: LoadedSeed[] }
