import type { WorkerResult } from '../api/worker.js'

/** `migrate worker`'s result: per backfill joined, what this worker did. */
export function renderWorker(result: WorkerResult): string {
  const who = result.slot === undefined ? 'worker' : `worker ${result.slot.index}`
  if (result.backfills.length === 0) return `${who}: no running backfill to join in ${result.env}`
  return result.backfills
    .map((b) => {
      const m = b.mine
      return `${who}: ${b.migration}/${b.name}: scanned ${m.scanned}, wrote ${m.written}, skipped ${m.skipped} in ${b.seconds.toFixed(1)} s (${Math.round(b.itemsPerSec)} items/s); the backfill is done (${b.counts.written} written in all)`
    })
    .join('\n')
}
