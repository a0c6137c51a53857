/**
 * A duration for people: `0.4 s` and `42.3 s` under a minute (one decimal), `4 min 05 s` under an hour,
 * `2 h 03 min` beyond. Negative durations count as zero.
 */
export function formatElapsed(ms: number): string {
  const safe = Math.max(0, ms)
  if (safe < 59_950) return `${(safe / 1000).toFixed(1)} s`
  const seconds = Math.round(safe / 1000)
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`
  }
  const minutes = Math.floor(seconds / 60)
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`
}
