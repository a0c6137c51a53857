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
      /** sent: the call went out; waiting: for the table/index to be ACTIVE; skipped: already in place. */
      status: 'sent' | 'waiting' | 'done' | 'skipped' | 'unsupported' | 'failed'
      detail?: string
      /** GSI backfill progress where the endpoint reports it. */
      percent?: number
    }
  | {
      kind: 'migration'
      name: string
      direction: 'up' | 'down'
      status: 'start' | 'done' | 'failed'
      durationMs?: number
    }
  | {
      kind: 'lock'
      status: 'acquired' | 'waiting' | 'taken-over' | 'released' | 'lost'
      holder?: string
      since?: string
    }
  | {
      /** One verification check of a logical table (see plan/compare.ts). */
      kind: 'check'
      table: string
      check: string
      status: 'ok' | 'drift' | 'unsupported' | 'pending'
      detail?: string
    }
  | SeedEvent

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

export type Emit = (event: Event) => void

/** An emitter that drops everything (library default). */
export const silent: Emit = () => {}
