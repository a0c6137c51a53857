// Stand-in until the pacing branch lands.
import type { TableDescription } from '@aws-sdk/client-dynamodb'
import type { RateSpec } from './spec.js'
import type { Rate } from './pacer.js'
export type Capacity = { read: number; write: number; source: string; detail: string }
export function capacityOf(_table: TableDescription, _opts: { index?: string }): Capacity {
  return { read: 40_000, write: 40_000, source: 'unknown', detail: '' }
}
export function resolveRate(spec: RateSpec | undefined, capacity: Capacity): Rate {
  if (spec === undefined) return { readPerSec: Infinity, writePerSec: Infinity }
  if ('fraction' in spec)
    return {
      readPerSec: capacity.read * spec.fraction,
      writePerSec: capacity.write * spec.fraction,
    }
  return { readPerSec: spec.readPerSec ?? Infinity, writePerSec: spec.writePerSec ?? Infinity }
}
