import { sameValue, type Item, type Write } from './spec.js'

/**
 * Whether `write` (what the transform asks for `item` as it is now) would leave it unchanged, which is
 * what a finished backfill's items must satisfy: `'unknown'` for a raw UpdateExpression (it cannot be
 * evaluated here). Conditions are ignored: a write whose condition is now false changes nothing either,
 * so this errs towards reporting an item as not converged.
 */
export function converged(write: Write | undefined, item: Item): boolean | 'unknown' {
  if (write === undefined) return true
  switch (write.kind) {
    case 'delete':
      return false
    case 'put':
      return sameValue(write.item, item)
    case 'update':
      if (write.expression !== undefined) return 'unknown'
      return (
        Object.entries(write.set ?? {}).every(
          ([k, v]) => v === undefined || sameValue(item[k], v),
        ) && (write.remove ?? []).every((k) => !(k in item))
      )
  }
}
