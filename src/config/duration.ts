/** A duration in ddbm.config.json: a number with a unit, `500ms`, `30s`, `10m` or `1h`. */
export const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }

/** Milliseconds of a duration of the config (`0` is 0; text that is not a DURATION is 0 too). */
export function durationMs(value: string | 0): number {
  if (value === 0) return 0
  const m = DURATION.exec(value)
  return m === null ? 0 : Math.round(Number(m[1]) * (UNITS[m[2] ?? 'ms'] ?? 1))
}
