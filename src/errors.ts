import type { Issue } from './issues.js'

/**
 * The one error class of ddbm and its closed catalogue of codes. Each code carries the process exit code
 * (README "Command line": 1 operation failed, 2 invalid input or configuration, 3 drift, 4 lock held, 130
 * interrupted) and a hint that tells the user what to do next. Only `cli/main.ts` turns a DdbmError into an
 * exit code.
 */
export const ERRORS = {
  USAGE: { exit: 2, hint: 'Run `ddbm --help` or `ddbm <command> --help` for the options.' },
  CONFIG_NOT_FOUND: {
    exit: 2,
    hint: 'Run `ddbm init` to scaffold ddbm.config.json, or pass `--config <file>`.',
  },
  CONFIG_INVALID: {
    exit: 2,
    hint: 'Fix the fields listed above, or run `ddbm init` to scaffold a fresh config.',
  },
  ENV_UNKNOWN: {
    exit: 2,
    hint: 'Pass one of the environments named in ddbm.config.json with `--env`.',
  },
  ENDPOINT_INVALID: {
    exit: 2,
    hint: 'An endpoint is an http(s) URL such as http://127.0.0.1:8000, or "embedded".',
  },
  SCHEMA_INVALID: { exit: 2, hint: 'Fix every problem listed above, then run `ddbm validate`.' },
  MIGRATION_INVALID: {
    exit: 2,
    hint: 'Fix the migration files listed above; `ddbm validate` checks them offline.',
  },
  SEED_INVALID: {
    exit: 2,
    hint: 'Fix the seed files listed above; `ddbm validate` checks them offline.',
  },
  INIT_EXISTS: {
    exit: 2,
    hint: 'Move or delete the files listed (nothing was written), or run `ddbm init` in another folder (`--config <folder>/ddbm.config.json`).',
  },
  PULL_CONFLICT: {
    exit: 2,
    hint: 'Those files were left as they are. If a pending migration explains the difference (`ddbm migrate status`), apply it with `ddbm migrate up`; to replace the files with the live tables, re-run with --force (`--dry-run` shows every change).',
  },
  CHANGE_UNSUPPORTED: {
    exit: 2,
    hint: 'DynamoDB cannot make this change in place; follow the way out given above.',
  },
  MIGRATION_CHANGED: {
    exit: 1,
    hint: 'Applied migrations are immutable: restore the file (git checkout) and add a new migration instead.',
  },
  MIGRATION_MISSING: {
    exit: 1,
    hint: 'Restore the file from git; if the change was really undone, `ddbm migrate resolve <name> --rolled-back`.',
  },
  MIGRATION_ORDER: {
    exit: 1,
    hint: 'Renumber the new migration so that it sorts after the last applied one (`ddbm migrate create` picks the next number).',
  },
  MIGRATION_BLOCKED: {
    exit: 1,
    hint: 'Re-run `ddbm migrate up` (its steps converge), or mark it with `ddbm migrate resolve <name> --applied|--rolled-back`.',
  },
  MIGRATION_FAILED: {
    exit: 1,
    hint: 'Fix the cause and re-run `ddbm migrate up`: every step converges, so a re-run is safe.',
  },
  PROTECTED_ENV: {
    exit: 2,
    hint: 'This environment is protected: confirm the steps listed above by naming it, `--confirm-env <env>` (or type its name at the prompt); --yes does not confirm them.',
  },
  ENV_MISMATCH: {
    exit: 2,
    hint: "The meta table records another environment: this config's environment points at another environment's account or tables (check --env, endpoint, region, profile and tableNameTemplate).",
  },
  SEED_REFUSED: {
    exit: 2,
    hint: "Seed another environment (`--env`), or add this one to the seed's `environments` if it really should hold fake data.",
  },
  SEED_FAILED: {
    exit: 1,
    hint: 'Nothing was dropped silently: the items listed were not written. Fix the cause and re-run `ddbm seed` (writes are idempotent puts).',
  },
  VERIFY_DRIFT: {
    exit: 3,
    hint: 'Apply pending migrations with `ddbm migrate up`, write the migration schemas/ needs with `ddbm migrate generate <name>`, or fix the table by hand.',
  },
  LOCK_HELD: {
    exit: 4,
    hint: 'Wait for the other run, raise --lock-timeout, or `ddbm migrate unlock` if its holder is gone.',
  },
  LOCK_LOST: {
    exit: 1,
    hint: 'Another run took the lock over (this one stalled longer than the lease); re-run `ddbm migrate up`.',
  },
  NOT_IMPLEMENTED: {
    exit: 1,
    hint: 'This command is part of the contract but not built yet; see the open issues.',
  },
  JAVA_MISSING: {
    exit: 1,
    hint: 'Install a Java 17+ runtime (e.g. `apt-get install openjdk-17-jre-headless`) or set JAVA_HOME.',
  },
  LOCAL_START_FAILED: {
    exit: 1,
    hint: 'See .ddbm/local.log; `ddbm local stop` clears a stale state file.',
  },
  LOCAL_NOT_RUNNING: {
    exit: 1,
    hint: 'Start it with `ddbm local start`.',
  },
  AWS_FAILED: {
    exit: 1,
    hint: 'Check the endpoint, region and credentials of the environment (`--verbose` shows the cause).',
  },
  INTERRUPTED: {
    // As shells report a process stopped by SIGINT (128 + 2); SIGTERM gives 143 (see DdbmError.exitCode).
    exit: 130,
    hint: 'Re-run the command: it stopped at a safe point, and its steps converge.',
  },
  INTERNAL: {
    exit: 1,
    hint: 'This is a bug in ddbm; please report it with the output of `--verbose`.',
  },
} as const satisfies Record<string, { exit: 1 | 2 | 3 | 4 | 130; hint: string }>

/** The signals a command stops on at a safe point (SIGINT: Ctrl-C; SIGTERM: CI cancelling a job). */
export type InterruptSignal = 'SIGINT' | 'SIGTERM'

/** Exit code of a run stopped by each signal, as shells report it: 128 + the signal's number. */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const satisfies Record<
  InterruptSignal,
  number
>

/** Every exit code a DdbmError can give. */
export type ExitCode = (typeof ERRORS)[keyof typeof ERRORS]['exit'] | 143

export type ErrorCode = keyof typeof ERRORS

/**
 * Catalogued fields plus any others: a throw site may add context beyond its code's entry, and a new throw
 * site compiles before the entry grows.
 */
type Open<T> = T & { [field: string]: unknown }

/** Details of a code whose throw sites give none or free-form ones. */
type Loose = Record<string, unknown> | undefined

/** One history problem (plan/history.ts HistoryProblem) or refused change (plan/diff.ts DiffProblem). */
type Problem = { message: string; hint: string }

/**
 * The `details` of each code, as `--json` prints them under `error.details`. A code whose entry excludes
 * `undefined` must be thrown with its details. The layer that owns a detail's type may declare a code's
 * entry through module augmentation (api/verify.ts declares VERIFY_DRIFT, whose result type lives there);
 * a code without an entry takes free-form details.
 */
export interface ErrorDetails {
  USAGE: Open<{ name?: string; table?: string; known?: string[]; holder?: string }> | undefined
  CONFIG_NOT_FOUND: Loose
  /** `issues` of the config file (loadProject, validate), or the `env` without a region (openSession). */
  CONFIG_INVALID: Open<{ issues?: readonly Issue[]; env?: string }>
  ENV_UNKNOWN: Open<{ env: string; known: string[] }>
  ENDPOINT_INVALID: Loose
  SCHEMA_INVALID: Open<{ issues: readonly Issue[] }>
  /** `issues` of migrations/ (validate, migrate), or the one TypeScript `file` that did not load. */
  MIGRATION_INVALID: Open<{ issues?: readonly Issue[]; file?: string }> | undefined
  /** `issues` of seeds/ (validate, seed): file, path, message and hint of each problem. */
  SEED_INVALID: Open<{ issues: readonly Issue[] }>
  /** The files (relative to the project root) that made `ddbm init` write nothing. */
  INIT_EXISTS: Open<{ existing: string[] }>
  CHANGE_UNSUPPORTED: Open<{ problems: readonly (Problem & { table: string })[] }>
  MIGRATION_CHANGED: Open<{ problems: readonly (Problem & { name: string })[] }>
  MIGRATION_MISSING: Open<{ problems: readonly (Problem & { name: string })[] }> | undefined
  MIGRATION_ORDER: Open<{ problems: readonly (Problem & { name: string })[] }>
  MIGRATION_BLOCKED: Loose
  /** The migration and direction that failed, the table of a failed step, or every step's result. */
  MIGRATION_FAILED:
    | Open<{ name?: string; direction?: 'up' | 'down'; table?: string; results?: unknown[] }>
    | undefined
  /**
   * The environment, the destructive steps refused, what makes it protected (its config, or the identity
   * recorded in its meta table) and the name `--confirm-env` gave, if any.
   */
  PROTECTED_ENV: Open<{
    env: string
    steps: string[]
    protectedBy?: 'config' | 'meta-table'
    confirmEnv?: string
  }>
  /** The configured environment, the one its meta table records, and that meta table. */
  ENV_MISMATCH: Open<{ env: string; stored: string; metaTable: string }>
  LOCK_HELD: Open<{ holder: string; since: string; waitedMs: number }>
  /** Seeding refused before any write: the environment, and the seeds whose allow-list lacks it. */
  SEED_REFUSED: Open<{ env: string; reason: 'not-allowed'; seeds?: string[] }>
  /** The table whose items were not all written, with counts and the first errors. */
  SEED_FAILED: Open<{
    table: string
    written: number
    failed: number
    firstErrors: readonly { key: unknown; error: string }[]
  }>
  LOCK_LOST: Open<{ holder: string | undefined; table: string; name?: string }>
  NOT_IMPLEMENTED: Loose
  JAVA_MISSING: Loose
  LOCAL_START_FAILED: Open<{ pid?: number; port?: number; log?: string; lib?: string }> | undefined
  LOCAL_NOT_RUNNING: Loose
  /** The table (and index, key, status, wait) concerned, when there is one. */
  AWS_FAILED: Open<{ table?: string; waitedMs?: number }> | undefined
  INTERNAL: Open<{ table?: string; pk?: string; pid?: number; port?: number }> | undefined
  /**
   * The signal that stopped the run (undefined when a library caller aborted its own AbortSignal), and
   * what each command got done before stopping (migrations applied, items written...).
   */
  INTERRUPTED: Open<{ signal: InterruptSignal | undefined }>
}

/** The details type of code `C` (free-form for a code without an ErrorDetails entry). */
export type DetailsOf<C extends ErrorCode> = C extends keyof ErrorDetails ? ErrorDetails[C] : Loose

/** What a throw site may add besides details: the error it wraps, and a hint that replaces the catalogue's. */
export type ThrowOptions = { cause?: unknown; hint?: string }

/** `details` is optional where the code's entry allows undefined, and required otherwise. */
type DetailsArgs<C extends ErrorCode> =
  undefined extends DetailsOf<C>
    ? [details?: DetailsOf<C>, options?: ThrowOptions]
    : [details: DetailsOf<C>, options?: ThrowOptions]

/** A failure with a catalogued code. `details` is JSON-safe data for `--json`, typed per code; `cause` is kept. */
export class DdbmError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = 'DdbmError'
  readonly code: C
  readonly details: DetailsOf<C>
  readonly hintOverride: string | undefined

  constructor(code: C, message: string, ...[details, options]: DetailsArgs<C>) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    // DetailsArgs made `details` required whenever DetailsOf<C> excludes undefined; TypeScript cannot
    // follow that through the generic tuple.
    this.details = details as DetailsOf<C>
    this.hintOverride = options?.hint
  }

  /** Exit code from the catalogue; INTERRUPTED by SIGTERM gives 143 rather than SIGINT's 130. */
  get exitCode(): ExitCode {
    if (isDdbmError(this, 'INTERRUPTED') && this.details.signal !== undefined) {
      return SIGNAL_EXIT[this.details.signal]
    }
    return ERRORS[this.code].exit
  }

  /** The hint given at the throw site, else the catalogue's. */
  get hint(): string {
    return this.hintOverride ?? ERRORS[this.code].hint
  }
}

/** True for a DdbmError, and when `codes` are given, of one of them (then its details are typed). */
export function isDdbmError<C extends ErrorCode = ErrorCode>(
  err: unknown,
  ...codes: C[]
): err is DdbmError<C> {
  return err instanceof DdbmError && (codes.length === 0 || codes.some((c) => c === err.code))
}

/** Message of any thrown value, for wrapping. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
