import type { BackfillEvent } from '../events.js'
import { StatusLine, type Writable } from './status-line.js'

/** Least time between two progress lines where the output is not a terminal (CI logs, pipes). */
const LOG_EVERY_MS = 10_000

/**
 * Renders `backfill` events. On a terminal, one line redrawn in place as progress events arrive
 * (progressText), left in place when the backfill is done. Elsewhere, plain lines: at the start, at most
 * every 10 s, when this process waits for others' segments, and at the end. `clear()` wipes an open
 * progress line before other output.
 */
export class BackfillProgress {
  private readonly status: StatusLine
  private lastLine = new Map<string, number>()

  constructor(
    err: Writable,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.status = new StatusLine(err)
  }

  /** Wipes the progress line being drawn, if any (call before writing another line). */
  clear(): void {
    this.status.clear()
  }

  handle(e: BackfillEvent): void {
    const id = `${e.migration}/${e.name}`
    if (e.status === 'start') {
      this.lastLine.set(id, this.now())
      return this.line(startText(e))
    }
    if (e.status === 'waiting') return this.line(waitingText(e))
    if (e.status === 'done') {
      this.lastLine.delete(id)
      return this.line(progressText(e))
    }
    if (this.status.tty) {
      this.status.redraw(progressText(e))
      return
    }
    const last = this.lastLine.get(id) ?? -Infinity
    if (this.now() - last < LOG_EVERY_MS) return
    this.lastLine.set(id, this.now())
    this.line(progressText(e))
  }

  private line(text: string): void {
    this.status.line(text)
  }
}

const n = (x: number) => Math.round(x).toLocaleString('en-US')

/**
 * `backfill 0003_backfill_active_flag/backfill: 3/8 segments, 12,345 scanned (2,300/s), 4,000 written,
 * 120 RCU/s, 300 WCU/s, ETA 1m 20s` (the whole backfill's counts; the speeds are this process's over the
 * last interval; `done` instead of the ETA at the end).
 */
export function progressText(e: BackfillEvent): string {
  const eta =
    e.status === 'done'
      ? 'done'
      : e.etaSeconds === undefined
        ? 'ETA unknown'
        : `ETA ${formatEta(e.etaSeconds)}`
  const throttles = e.throttles ? `, ${n(e.throttles)} throttled` : ''
  return (
    `backfill ${e.migration}/${e.name}: ${e.segmentsDone}/${e.segments} segments, ` +
    `${n(e.scanned)} scanned (${n(e.itemsPerSec)}/s), ${n(e.written)} written, ` +
    `${n(e.readUnitsPerSec)} RCU/s, ${n(e.writeUnitsPerSec)} WCU/s${throttles}, ${eta}`
  )
}

function startText(e: BackfillEvent): string {
  const resumed = e.resumed ? `, ${e.resumed} resumed from a checkpoint` : ''
  const done = e.segmentsDone > 0 ? `, ${e.segmentsDone} done` : ''
  const as = e.role === 'worker' ? ' as a worker' : ''
  return `backfill ${e.migration}/${e.name}: started${as} on ${e.table}, ${e.segments} segments${done}${resumed}`
}

function waitingText(e: BackfillEvent): string {
  return `backfill ${e.migration}/${e.name}: no segment left to claim; waiting for the other workers (${e.segmentsDone}/${e.segments} segments done)`
}

/** `45s`, `1m 20s`, `2h 05m`: a time left, rounded up to the second. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds))
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`
  const m = Math.floor(s / 60)
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`
}
