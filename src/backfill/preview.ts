import type { Item, Write } from './spec.js'

/**
 * One item of a dry run's sample that the transform would change: the item as read (`before`) and as the
 * write would leave it (`after`: the update's `set` / `remove` applied, the put's item, null for a delete).
 * A raw UpdateExpression cannot be applied here: `after` is then absent and `expression` shows it.
 * Values are JSON-safe (jsonSafe).
 */
export type BackfillExample = {
  action: 'put' | 'update' | 'delete'
  key: Item
  before: Item
  after?: Item | null
  expression?: string
  /** The write's ConditionExpression, checked by DynamoDB on write. */
  condition?: string
}

/**
 * The item `write` would leave from `item`: set and remove applied to a copy (an `undefined` value in
 * `set` is left out, as the update leaves it out), the put's item, null for a delete, undefined for a raw
 * UpdateExpression. Conditions are ignored (the write is shown as if its condition held).
 */
export function afterOf(write: Write, item: Item): Item | null | undefined {
  switch (write.kind) {
    case 'delete':
      return null
    case 'put':
      return write.item
    case 'update': {
      if (write.expression !== undefined) return undefined
      const after: Item = { ...item }
      for (const [k, v] of Object.entries(write.set ?? {})) if (v !== undefined) after[k] = v
      for (const k of write.remove ?? []) delete after[k]
      return after
    }
  }
}

/** The example of `write` on `item` (see BackfillExample). */
export function exampleOf(write: Write, item: Item): BackfillExample {
  const after = afterOf(write, item)
  return {
    action: write.kind,
    key: jsonSafe(write.key),
    before: jsonSafe(item),
    ...(after === undefined ? {} : { after: after === null ? null : jsonSafe(after) }),
    ...(write.kind === 'update' && write.expression !== undefined
      ? { expression: write.expression }
      : {}),
    ...(write.conditional.condition === undefined
      ? {}
      : { condition: write.conditional.condition }),
  }
}

/**
 * `item` with its values made JSON-safe for display: Sets as arrays, bytes as base64 strings, bigints as
 * strings (in maps and lists too); everything else as is.
 */
export function jsonSafe(item: Item): Item {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, safe(v)]))
}

function safe(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (value instanceof Set) return [...(value as Set<unknown>)].map(safe)
  if (Array.isArray(value)) return value.map(safe)
  if (typeof value === 'object' && value !== null) return jsonSafe(value as Item)
  return value
}
