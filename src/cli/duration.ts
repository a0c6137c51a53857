import { DdbmError } from '../errors.js'

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }

/** `ms` as the largest unit that writes it whole: `10m`, `90s`, `1h`, `1500ms`. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`
  }
  return `${ms}ms`
}

/** Parses `500ms`, `30s`, `15m`, `1h` or a bare number of seconds into milliseconds; USAGE otherwise. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim())
  if (m === null) {
    throw new DdbmError('USAGE', `${flag} "${text}" is not a duration`, undefined, {
      hint: `Write e.g. ${flag} 30s, 15m or 1h.`,
    })
  }
  return Math.round(Number(m[1]) * (UNITS[m[2] ?? 's'] ?? 1_000))
}
