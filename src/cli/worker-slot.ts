import { DdbmError } from '../errors.js'
import type { WorkerSlot } from '../api/worker.js'

/**
 * The index a job runner gives each of its parallel jobs, by the variable it sets: a Kubernetes Indexed Job
 * (`JOB_COMPLETION_INDEX`) and an AWS Batch array job (`AWS_BATCH_JOB_ARRAY_INDEX`). A GitHub Actions matrix
 * sets none: its recipe passes `--worker-index ${{ strategy.job-index }}` (docs/backfills.md).
 */
export const RUNNER_INDEX_VARIABLES = ['JOB_COMPLETION_INDEX', 'AWS_BATCH_JOB_ARRAY_INDEX'] as const

/**
 * This worker's slot: `--worker-index` / `--workers` when given, else the index from the runner's variable.
 * Undefined when neither says (the worker then claims any open segment).
 */
export function workerSlot(
  flags: { index: number | undefined; count: number | undefined },
  env: Record<string, string | undefined>,
): WorkerSlot | undefined {
  let index = flags.index
  let from = '--worker-index'
  if (index === undefined) {
    for (const name of RUNNER_INDEX_VARIABLES) {
      const value = env[name]
      if (value !== undefined && value !== '') {
        index = Number(value)
        from = name
        break
      }
    }
  }
  const count = flags.count
  if (count !== undefined && (!Number.isInteger(count) || count < 1))
    throw new DdbmError('USAGE', `--workers must be a whole number of at least 1 (got ${count})`, {
      name: '--workers',
    })
  if (index === undefined) return undefined
  if (!Number.isInteger(index) || index < 0 || (count !== undefined && index >= count)) {
    throw new DdbmError(
      'USAGE',
      `${from} must be a whole number from 0${count === undefined ? '' : ` to ${count - 1}`} (got ${String(index)})`,
      { name: from },
    )
  }
  return { index, ...(count === undefined ? {} : { count }) }
}
