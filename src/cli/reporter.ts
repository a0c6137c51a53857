import { DdbmError, isDdbmError, messageOf } from '../errors.js'
import type { Emit, Event, LockEvent } from '../events.js'
import { formatIssue } from '../issues.js'
import { formatElapsed } from './elapsed.js'
import { WaitHeartbeat, type HeartbeatOptions } from './heartbeat.js'
import { partLabel, renderPull, renderVerify } from './render-verify.js'
import { formatDuration } from './duration.js'
import { BackfillProgress } from './backfill-progress.js'
import { SeedProgress } from './seed-progress.js'
import { COLOR, colorEnabled, PLAIN, type ColorEnv, type Style } from './style.js'

/** How output is rendered: `--json`, `--quiet`, `--verbose`. */
export type OutputMode = { json: boolean; quiet: boolean; verbose: boolean }
type Writable = { write(text: string): unknown; isTTY?: boolean }

/** Human output, no debug logs: the mode until the arguments are parsed. */
export const DEFAULT_MODE: OutputMode = { json: false, quiet: false, verbose: false }

/** Human text of a result: ready, or made with the style of stdout (colour only where allowed). */
export type Human = string | ((style: Style) => string)

/** The output mode the parsed global options ask for. */
export function outputMode(argv: OutputMode): OutputMode {
  return { json: argv.json, quiet: argv.quiet, verbose: argv.verbose }
}

/**
 * Renders events and results. Human mode: logs on stderr, the result's text on stdout. JSON mode: logs on
 * stderr, exactly one JSON document on stdout, `{ ok, command, result }` or `{ ok: false, command, error }`.
 * `--quiet`: only warnings, errors and (with --json) the document. The CLI sets `mode` and `command` from
 * the parsed arguments (a middleware that runs before yargs validates them, so that usage errors are
 * rendered in the mode asked for too).
 *
 * Colour is decided once per stream, here, from the stream (`isTTY`) and `env` (NO_COLOR, FORCE_COLOR,
 * TERM; see colorEnabled), and never in JSON mode; render functions receive the resulting Style. Defaults:
 * the process's stdout, stderr and environment.
 *
 * In human mode, a result is followed by `done in 3.2 s` on stderr (the time since the reporter was made,
 * by `clock.now`), and a step that waits on a table or index keeps showing how long it has waited
 * (WaitHeartbeat, with `clock`'s timer). `--quiet` prints neither; `--json` only the heartbeat (stderr).
 */
export class Reporter {
  private written = false
  command = 'ddbm'
  /**
   * The signal the command runs under (main.ts aborts it on SIGINT / SIGTERM), for `interruptible()`.
   * Undefined when nothing installed interrupt handlers.
   */
  signal: AbortSignal | undefined = undefined
  /** True once the running command took the signal: it stops at a safe point rather than at once. */
  stopsSafely = false

  /**
   * The api option of a command that stops at a safe point on an interrupt (`migrate up`, `seed`...):
   * `{ signal }`, and the command is marked as doing so. Commands that never ask are exited at once.
   */
  interruptible(): { signal?: AbortSignal } {
    this.stopsSafely = true
    return this.signal === undefined ? {} : { signal: this.signal }
  }
  /** Progress of `ddbm seed`: a redrawn line on a terminal, plain lines elsewhere. */
  private readonly progress: SeedProgress
  /** Progress of backfills: a redrawn line on a terminal, a line every 10 s elsewhere. */
  private readonly backfill: BackfillProgress
  private readonly outColor: boolean
  private readonly errColor: boolean
  /** Long waits of migration steps: a spinner on a terminal, `still waiting` lines elsewhere. */
  private readonly heartbeat: WaitHeartbeat
  private readonly now: () => number
  private readonly startedAt: number

  constructor(
    public mode: OutputMode = DEFAULT_MODE,
    private readonly out: Writable = process.stdout,
    private readonly err: Writable = process.stderr,
    env: ColorEnv = process.env,
    clock: HeartbeatOptions = {},
  ) {
    this.progress = new SeedProgress(err)
    this.backfill = new BackfillProgress(err, clock.now)
    this.outColor = colorEnabled(out, env, false)
    this.errColor = colorEnabled(err, env, false)
    this.now = clock.now ?? (() => performance.now())
    this.startedAt = this.now()
    this.heartbeat = new WaitHeartbeat(err, { ...clock, now: this.now })
  }

  /** The style of stdout: colour when stdout allows it, never with --json. */
  get outStyle(): Style {
    return this.outColor && !this.mode.json ? COLOR : PLAIN
  }

  /** The style of stderr: colour when stderr allows it, never with --json. */
  get errStyle(): Style {
    return this.errColor && !this.mode.json ? COLOR : PLAIN
  }

  /** The Emit given to the api: renders each event as one stderr line (seed progress as a bar on a TTY). */
  readonly emit: Emit = (event) => {
    if (event.kind === 'seed') {
      if (!this.mode.quiet) this.progress.handle(event)
      return
    }
    if (event.kind === 'backfill') {
      if (!this.mode.quiet) this.backfill.handle(event)
      return
    }
    if (event.kind === 'step' && !this.mode.quiet) this.heartbeat.step(event)
    const line = renderEvent(event, this.mode, this.errStyle)
    if (line === undefined) return
    this.progress.clear()
    this.backfill.clear()
    this.heartbeat.clear()
    this.err.write(`${line}\n`)
  }

  /**
   * Writes the command's result: the JSON document, or `human` text on stdout (nothing with --quiet).
   * A function is called with stdout's style, and only when its text is printed.
   */
  result(result: unknown, human?: Human): void {
    this.heartbeat.stop()
    if (this.mode.json) return this.document({ ok: true, command: this.command, result })
    if (this.mode.quiet) return
    const text = human === undefined ? '' : typeof human === 'string' ? human : human(this.outStyle)
    if (text !== '') this.out.write(text.endsWith('\n') ? text : `${text}\n`)
    this.err.write(
      `${this.errStyle.dim(`done in ${formatElapsed(this.now() - this.startedAt)}`)}\n`,
    )
  }

  /** Writes what the user asked yargs for (help, the version, a completion script) on stdout, in any mode. */
  help(text: string): void {
    this.out.write(text.endsWith('\n') ? text : `${text}\n`)
  }

  /** Reports a failure and returns its exit code. The only place stack traces are printed (with --verbose). */
  fatal(err: unknown): number {
    this.heartbeat.stop()
    const error = toDdbmError(err)
    const style = this.errStyle
    if (
      isDdbmError(error, 'CONFIG_INVALID', 'SCHEMA_INVALID', 'MIGRATION_INVALID', 'SEED_INVALID')
    ) {
      for (const issue of error.details?.issues ?? []) this.err.write(`${formatIssue(issue)}\n`)
    }
    // The drift table itself (drift and pending rows); --json carries it in error.details.result.
    if (isDdbmError(error, 'VERIFY_DRIFT') && !this.mode.json) {
      this.err.write(`${renderVerify(error.details.result, ['drift', 'pending'], style)}\n`)
    }
    // What pull wrote, and the diff of each file it left as it was.
    if (isDdbmError(error, 'PULL_CONFLICT') && !this.mode.json) {
      this.err.write(`${renderPull(error.details.result, style)}\n`)
    }
    if (isDdbmError(error, 'SEED_FAILED')) {
      for (const e of error.details.firstErrors) {
        this.err.write(`  ${JSON.stringify(e.key)}: ${e.error}\n`)
      }
    }
    this.progress.clear()
    this.backfill.clear()
    this.err.write(`${style.bad('error:')} ${error.message}\n`)
    this.err.write(`${style.dim('hint:')} ${error.hint}\n`)
    if (this.mode.verbose) {
      for (let e: unknown = err; e !== undefined; e = (e as { cause?: unknown }).cause) {
        this.err.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
        if (!(e instanceof Error)) break
      }
    }
    if (this.mode.json) {
      this.document({
        ok: false,
        command: this.command,
        error: {
          code: error.code,
          exitCode: error.exitCode,
          message: error.message,
          hint: error.hint,
          ...(error.details === undefined ? {} : { details: error.details }),
        },
      })
    }
    return error.exitCode
  }

  private document(doc: unknown): void {
    if (this.written) return
    this.written = true
    this.out.write(`${JSON.stringify(doc, null, 2)}\n`)
  }
}

/** Any thrown value as a DdbmError: SDK failures become AWS_FAILED, the rest INTERNAL. */
export function toDdbmError(err: unknown): DdbmError {
  if (err instanceof DdbmError) return err
  if (err instanceof Error && '$metadata' in err) {
    return new DdbmError('AWS_FAILED', `${err.name}: ${err.message}`, undefined, { cause: err })
  }
  const code = (err as { code?: unknown } | undefined)?.code
  if (code === 'ECONNREFUSED') {
    return new DdbmError('AWS_FAILED', `Cannot reach the endpoint: ${messageOf(err)}`, undefined, {
      cause: err,
    })
  }
  return new DdbmError('INTERNAL', `internal error: ${messageOf(err)}`, undefined, { cause: err })
}

function renderEvent(event: Event, mode: OutputMode, style: Style): string | undefined {
  switch (event.kind) {
    case 'log':
      if (event.level === 'debug' && !mode.verbose) return undefined
      if (event.level === 'info' && mode.quiet) return undefined
      if (event.level === 'debug') return style.dim(event.message)
      return event.level === 'warn' ? `${style.warn('warning:')} ${event.message}` : event.message
    case 'local': {
      if (mode.quiet) return undefined
      const where = event.port === undefined ? '' : ` on 127.0.0.1:${event.port}`
      const storage = event.storage === undefined ? '' : ` (${event.storage})`
      const took = event.ms === undefined ? '' : ` in ${(event.ms / 1000).toFixed(1)} s`
      if (event.status === 'idle') {
        const after = event.idleMs === undefined ? '' : ` after ${formatDuration(event.idleMs)}`
        return `DynamoDB Local left running${where} for the next command; it stops${after} unused (or: ddbm local stop)`
      }
      return `DynamoDB Local ${event.status}${where}${storage}${took}`
    }
    case 'step': {
      if (mode.quiet || (event.status === 'sent' && !mode.verbose)) return undefined
      const pct = event.percent === undefined ? '' : ` ${event.percent.toFixed(0)}%`
      const detail = event.detail === undefined ? '' : `: ${event.detail}`
      // Listed apart: a step that did its job is labelled by what it did, not by what the endpoint lacks.
      const lacking = event.unsupported?.length
        ? `; ${style.warn(`not supported by this endpoint: ${event.unsupported.map(partLabel).join(', ')}`)}`
        : ''
      return `  ${style.status(event.status, event.status.padEnd(11))} ${event.op} ${event.table}${pct}${detail}${lacking}`
    }
    case 'migration': {
      if (mode.quiet && event.status !== 'failed') return undefined
      const took =
        event.durationMs === undefined ? '' : ` (${(event.durationMs / 1000).toFixed(1)} s)`
      const verb = {
        start: event.direction === 'up' ? 'applying' : 'reverting',
        done: event.direction === 'up' ? 'applied' : 'reverted',
        failed: 'FAILED',
        interrupted: 'INTERRUPTED',
      }[event.status]
      return `${event.status === 'start' ? verb : style.status(verb)} ${event.name}${took}`
    }
    case 'check': {
      if (!mode.verbose) return undefined
      const detail = event.detail === undefined ? '' : `: ${event.detail}`
      return `  check ${style.status(event.status, event.status.padEnd(11))} ${event.table} ${event.check}${detail}`
    }
    case 'seed':
    case 'backfill':
      return undefined // rendered by SeedProgress, BackfillProgress
    case 'lock':
      if (mode.quiet && event.status !== 'lost') return undefined
      return renderLock(event, style)
  }
}

/**
 * A lock event as one line. A waiter names the holder, then counts down to the takeover while the
 * holder's record stays unchanged, e.g. `lock countdown: held by ci@vm pid 7: not renewed for 10 s;
 * taking over in 10 s unless it renews`.
 */
function renderLock(event: LockEvent, style: Style): string {
  const since = event.since === undefined ? '' : ` since ${event.since}`
  const holder = `held by ${event.holder ?? '(unknown holder)'}`
  const head = `lock ${style.status(event.status)}`
  const takeover =
    event.takeoverInMs === undefined
      ? ''
      : `; taking over in ${duration(event.takeoverInMs)} unless it renews`
  switch (event.status) {
    case 'waiting':
      return `${head}: ${holder}${since}${takeover}`
    case 'countdown': {
      const unrenewed =
        event.unrenewedMs === undefined
          ? ''
          : `: not renewed for ${duration(event.unrenewedMs, Math.round)}`
      return `${head}: ${holder}${unrenewed}${takeover}`
    }
    case 'alive': {
      const left =
        event.giveUpInMs === undefined
          ? ''
          : ` up to ${duration(event.giveUpInMs)} more (--lock-timeout)`
      return `${head}: ${holder} renewed its lease, so it is running; waiting${left}`
    }
    default:
      return event.holder === undefined ? head : `${head} (${holder}${since})`
  }
}

/** `12 s` below two minutes (rounded up by default, as a countdown shows it), else `15 min`. */
function duration(ms: number, round: (n: number) => number = Math.ceil): string {
  return ms < 120_000 ? `${round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`
}
