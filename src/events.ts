/**
 * Structured events that api/ and engine/ emit and cli/reporter.ts renders. Leaf module: imports nothing.
 * Library code never writes to the console; it calls `emit`.
 */
export type Event =
  | { kind: 'log'; level: 'debug' | 'info' | 'warn'; message: string }
  | {
      kind: 'local'
      /**
       * shared: waiting for other ddbm commands still using the engine before stopping it; idle: left
       * running for the next command, stopped once unused for `idleMs`.
       */
      status: 'starting' | 'ready' | 'reused' | 'shared' | 'idle' | 'stopping' | 'stopped'
      port?: number
      storage?: 'disk' | 'memory'
      ms?: number
      idleMs?: number
    }
  | {
      /** One operation of a migration, on a physical table. */
      kind: 'step'
      table: string
      op: string
      /**
       * sent: the call went out; waiting: for the table/index to be ACTIVE; done: the step did its job;
       * skipped: already in place (or already gone); unsupported: the endpoint cannot do any of it;
       * interrupted: its wait was abandoned on an interrupt (DynamoDB goes on with what was sent).
       */
      status: 'sent' | 'waiting' | 'done' | 'skipped' | 'unsupported' | 'failed' | 'interrupted'
      detail?: string
      /** Parts of a done or skipped step the endpoint could not do or report (`pitr`, `tags`, `sse`...). */
      unsupported?: string[]
      /** GSI backfill progress where the endpoint reports it. */
      percent?: number
    }
  | {
      kind: 'migration'
      name: string
      direction: 'up' | 'down'
      /** interrupted: stopped at a safe point on an interrupt, and recorded so. */
      status: 'start' | 'done' | 'failed' | 'interrupted'
      durationMs?: number
    }
  | LockEvent
  | {
      /** One verification check of a logical table (see plan/compare.ts). */
      kind: 'check'
      table: string
      check: string
      status: 'ok' | 'drift' | 'unsupported' | 'pending'
      detail?: string
    }
  | SeedEvent
  | BackfillEvent

/**
 * The migration lock. A waiter emits `waiting` when it first sees a holder (and again for a new one),
 * `countdown` every few seconds while the holder's record version stays unchanged, `alive` when the holder
 * renews after a countdown was shown, then `acquired` or `taken-over`. A holder emits `released` or `lost`.
 */
export type LockEvent = {
  kind: 'lock'
  status: 'acquired' | 'waiting' | 'countdown' | 'alive' | 'taken-over' | 'released' | 'lost'
  /** Who holds (or held) the lock: "user@host pid N". */
  holder?: string
  /** When it took the lock (ISO, the holder's clock: display only). */
  since?: string
  /** waiting, countdown: time left before the waiter takes the lock over unless its holder renews. */
  takeoverInMs?: number
  /** countdown: how long the waiter has seen the record unchanged (its own clock). */
  unrenewedMs?: number
  /** alive: time left before the waiter gives up (`--lock-timeout`). */
  giveUpInMs?: number
}

/** Progress of one table of `ddbm seed` (physical `table`). */
export type SeedEvent = {
  kind: 'seed'
  table: string
  /** clearing: `--clear` deletes its items; writing: items going in; verifying: the post-seed checks. */
  status: 'clearing' | 'writing' | 'done' | 'verifying'
  /** Items written (or deleted, while clearing) so far, and how many there are to write. */
  done?: number
  total?: number
  failed?: number
  /** Seconds since the table's writing started. */
  seconds?: number
}

/**
 * Progress of a backfill (docs/backfills.md), for the whole backfill as its checkpoints in the meta table
 * say (every process working on it included). start: this process joined it (`resumed` segments had a
 * checkpoint); progress: every few seconds; done: every segment is done; waiting: this process has no
 * segment left to claim and waits for the others' segments.
 */
export type BackfillEvent = {
  kind: 'backfill'
  migration: string
  name: string
  /** Physical table scanned. */
  table: string
  status: 'start' | 'progress' | 'waiting' | 'done'
  /** coordinator: the `migrate up` run; worker: a `ddbm migrate worker` that joined it. */
  role: 'coordinator' | 'worker'
  segmentsDone: number
  segments: number
  /** Segments this process works on now. */
  mine: number
  /** start: segments that resume from a checkpoint. */
  resumed?: number
  scanned: number
  written: number
  skipped: number
  itemsPerSec: number
  readUnitsPerSec: number
  writeUnitsPerSec: number
  /** Seconds left at the current speed, when known. */
  etaSeconds?: number
  throttles?: number
}

export type Emit = (event: Event) => void

/** An emitter that drops everything (library default). */
export const silent: Emit = () => {}
