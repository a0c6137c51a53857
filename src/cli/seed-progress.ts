import type { SeedEvent } from '../events.js'
import { StatusLine, type Writable } from './status-line.js'

const BAR_WIDTH = 24
/** Least time between two redraws of the progress line on a terminal. */
const REDRAW_MS = 100

/**
 * Renders `seed` events. On a terminal, one line per table redrawn in place: a bar, items, items/s and
 * the ETA, left as a summary line when the table is done. Elsewhere (CI logs, pipes), plain lines: the
 * start, every quarter, and the end. `clear()` wipes an open progress line before other output.
 */
export class SeedProgress {
  private readonly status: StatusLine
  private lastDraw = 0
  private lastQuarter = new Map<string, number>()

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

  handle(e: SeedEvent): void {
    const tty = this.status.tty
    if (e.status === 'clearing' && e.done === undefined) return this.line(`clearing ${e.table}`)
    if (e.status === 'verifying') return this.line(`verifying ${e.table}`)
    if (e.status === 'done') {
      this.clear()
      const rate = e.seconds && e.done ? ` (${Math.round(e.done / e.seconds)} items/s)` : ''
      const failed = e.failed ? `, ${e.failed} FAILED` : ''
      return this.line(
        `seeded ${e.table}: ${e.done ?? 0} written${failed} in ${e.seconds?.toFixed(1)} s${rate}`,
      )
    }
    if (e.status !== 'writing' || e.total === undefined) return
    if (tty) {
      const t = this.now()
      if (t - this.lastDraw < REDRAW_MS && (e.done ?? 0) < e.total) return
      this.lastDraw = t
      this.status.redraw(progressLine(e))
      return
    }
    const quarter = e.total === 0 ? 4 : Math.floor(((e.done ?? 0) / e.total) * 4)
    const last = this.lastQuarter.get(e.table) ?? -1
    if (quarter > last && quarter < 4) {
      this.lastQuarter.set(e.table, quarter)
      this.line(quarter === 0 ? `seeding ${e.table}: ${e.total} items` : progressLine(e))
    }
  }

  private line(text: string): void {
    this.status.line(text)
  }
}

/** `Candidates-dev [#########.....] 1,200/5,000 2,310 items/s ETA 2 s`. */
export function progressLine(e: SeedEvent): string {
  const done = e.done ?? 0
  const total = e.total ?? 0
  const share = total === 0 ? 1 : Math.min(1, done / total)
  const filled = Math.round(share * BAR_WIDTH)
  const rate = e.seconds && e.seconds > 0 ? done / e.seconds : 0
  const eta = rate > 0 ? ` ETA ${Math.ceil((total - done) / rate)} s` : ''
  const failed = e.failed ? ` ${e.failed} failed` : ''
  const n = (x: number) => x.toLocaleString('en-US')
  return `${e.table} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${n(done)}/${n(total)} ${n(Math.round(rate))} items/s${eta}${failed}`
}
