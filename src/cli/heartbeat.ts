import type { Event } from '../events.js'
import { formatElapsed } from './elapsed.js'

type Writable = { write(text: string): unknown; isTTY?: boolean }
type StepEvent = Extract<Event, { kind: 'step' }>

/** A repeating timer that can be cancelled; unref'd by default so it never keeps the process alive. */
export type Repeat = (tick: () => void, ms: number) => { cancel(): void }

/** Off a terminal: a `still waiting` line for each wait at least this often. */
export const HEARTBEAT_MS = 30_000
/** On a terminal: how often the spinner line is redrawn. */
export const SPINNER_MS = 250

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

/** Options of {@link WaitHeartbeat}; clock and timer are injectable so tests never really wait. */
export type HeartbeatOptions = {
  /** Default `performance.now`. */
  now?: () => number
  /** Default an unref'd `setInterval`. */
  repeat?: Repeat
  /** Default {@link HEARTBEAT_MS}. */
  intervalMs?: number
  /** Default {@link SPINNER_MS}. */
  spinnerMs?: number
}

type Wait = { op: string; table: string; detail: string; since: number; lastLine: number }

/**
 * Keeps a long wait visible. A step that waits (a table or GSI being created, backfilled or deleted)
 * emits `waiting` only when what it waits for changes, so a GSI backfill of hours on AWS would otherwise
 * show one line for hours. From the first `waiting` event of a step until its outcome (done, skipped,
 * unsupported, failed), this shows how long it has waited and for what: on a terminal a spinner line
 * redrawn in place (`clear()` wipes it before other output), elsewhere (CI logs, pipes) a plain
 * `still waiting` line per step every {@link HEARTBEAT_MS}. A step that sends a call between two waits
 * (a retry) keeps counting from its first wait.
 */
export class WaitHeartbeat {
  private readonly waits = new Map<string, Wait>()
  /** Steps between two waits of theirs (they sent a call): their waits resume from `since`. */
  private readonly paused = new Map<string, number>()
  private timer: { cancel(): void } | undefined
  private open = false
  private frame = 0
  private readonly now: () => number
  private readonly repeat: Repeat
  private readonly intervalMs: number
  private readonly spinnerMs: number

  constructor(
    private readonly err: Writable,
    opts: HeartbeatOptions = {},
  ) {
    this.now = opts.now ?? (() => performance.now())
    this.repeat = opts.repeat ?? unrefInterval
    this.intervalMs = opts.intervalMs ?? HEARTBEAT_MS
    this.spinnerMs = opts.spinnerMs ?? SPINNER_MS
  }

  /** Follows a step event: a `waiting` one starts or updates its step's wait, an outcome ends it. */
  step(event: StepEvent): void {
    const key = `${event.op} ${event.table}`
    const wait = this.waits.get(key)
    if (event.status === 'waiting') {
      const detail = event.detail ?? ''
      // The reporter prints each waiting event as a line: the next heartbeat line is due a whole interval later.
      if (wait !== undefined) Object.assign(wait, { detail, lastLine: this.now() })
      else {
        const since = this.paused.get(key) ?? this.now()
        this.paused.delete(key)
        this.waits.set(key, {
          op: event.op,
          table: event.table,
          detail,
          since,
          lastLine: this.now(),
        })
      }
      this.timer ??= this.repeat(() => this.tick(), this.tty ? this.spinnerMs : this.intervalMs / 6)
      return
    }
    if (wait !== undefined) this.waits.delete(key)
    if (event.status === 'sent') {
      if (wait !== undefined) this.paused.set(key, wait.since)
    } else this.paused.delete(key)
    if (this.waits.size === 0) this.stop()
  }

  /** Redraws the spinner line (terminal) or prints the waits due a `still waiting` line (elsewhere). */
  tick(): void {
    if (this.waits.size === 0) return
    const t = this.now()
    if (this.tty) {
      const [first, ...more] = [...this.waits.values()]
      if (first === undefined) return
      const others = more.length === 0 ? '' : ` (+${more.length} more)`
      const spinner = FRAMES[this.frame++ % FRAMES.length] ?? ''
      this.err.write(`\r\x1b[2K${spinner} ${waitText(first, t)}${others}`)
      this.open = true
      return
    }
    for (const wait of this.waits.values()) {
      if (t - wait.lastLine < this.intervalMs) continue
      wait.lastLine = t
      this.err.write(`  still ${waitText(wait, t)}\n`)
    }
  }

  /** Wipes the spinner line, if drawn (call before writing another line). */
  clear(): void {
    if (!this.open) return
    this.err.write('\r\x1b[2K')
    this.open = false
  }

  /** Ends every wait and the timer, and wipes the spinner line: the command is over. */
  stop(): void {
    this.timer?.cancel()
    this.timer = undefined
    this.waits.clear()
    this.paused.clear()
    this.clear()
  }

  private get tty(): boolean {
    return this.err.isTTY === true
  }
}

/** `waiting 2 min 05 s for createGsi Candidates-dev: index ScoreIndex CREATING (backfilling)`. */
function waitText(wait: Wait, now: number): string {
  const detail = wait.detail === '' ? '' : `: ${wait.detail}`
  return `waiting ${formatElapsed(now - wait.since)} for ${wait.op} ${wait.table}${detail}`
}

function unrefInterval(tick: () => void, ms: number): { cancel(): void } {
  const handle = setInterval(tick, ms)
  handle.unref()
  return { cancel: () => clearInterval(handle) }
}
