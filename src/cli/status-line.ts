/** Where progress goes: stderr, or a test's stand-in. */
export type Writable = { write(text: string): unknown; isTTY?: boolean }

/**
 * The one line of progress a command redraws in place on a terminal, and the plain lines written around
 * it: `redraw` replaces the open line, `line` wipes it and writes a whole line, `clear` wipes it before
 * other output.
 */
export class StatusLine {
  private open = false

  constructor(private readonly err: Writable) {}

  /** True when the output is a terminal (progress may be redrawn in place). */
  get tty(): boolean {
    return this.err.isTTY === true
  }

  /** Replaces the line being drawn with `text` (no newline). */
  redraw(text: string): void {
    this.err.write(`\r\x1b[2K${text}`)
    this.open = true
  }

  /** Wipes the line being drawn, if any. */
  clear(): void {
    if (!this.open) return
    this.err.write('\r\x1b[2K')
    this.open = false
  }

  /** Wipes the line being drawn and writes `text` as a line of its own. */
  line(text: string): void {
    this.clear()
    this.err.write(`${text}\n`)
  }
}
