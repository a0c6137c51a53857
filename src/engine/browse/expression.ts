import { z } from 'zod'
import { DdbmError } from '../../errors.js'
import { fromBase64, keyValue, toBase64, wireOf, type KeyAttr, type Wire } from './wire.js'

export type { KeyAttr, KeyType, Wire } from './wire.js'

/**
 * The item browser's pure half: the request a page sends, checked; the key condition and filter
 * expressions built from it; the opaque cursor. Values on the wire: wire.ts. No I/O (engine/browse/
 * browse.ts sends the calls).
 */

const SORT_OPS = ['=', '<', '<=', '>', '>=', 'between', 'begins_with'] as const
const FILTER_OPS = [
  '=',
  '<>',
  '<',
  '<=',
  '>',
  '>=',
  'between',
  'begins_with',
  'contains',
  'attribute_exists',
  'attribute_not_exists',
] as const

/** Largest page a request may ask for. */
export const MAX_LIMIT = 500
/** Page size when the request names none. */
export const DEFAULT_LIMIT = 50

const json: z.ZodType<unknown> = z.unknown()
const keyValueSchema = z.union([z.string(), z.number()])

/** The body of `POST /api/tables/:table/items` (docs/studio.md), as checked by {@link parseBrowseRequest}. */
export const BrowseRequestSchema = z.strictObject({
  index: z.string().min(1).optional(),
  mode: z.enum(['scan', 'query']),
  key: z
    .strictObject({
      partition: z.strictObject({ value: keyValueSchema }),
      sort: z
        .strictObject({
          op: z.enum(SORT_OPS),
          value: keyValueSchema,
          value2: keyValueSchema.optional(),
        })
        .optional(),
    })
    .optional(),
  filters: z
    .array(
      z.strictObject({
        attribute: z.string().min(1),
        op: z.enum(FILTER_OPS),
        value: json.optional(),
        value2: json.optional(),
      }),
    )
    .optional(),
  limit: z.int().min(1).max(MAX_LIMIT).optional(),
  cursor: z.string().min(1).optional(),
})

/** A checked browse request. */
export type BrowseRequest = z.output<typeof BrowseRequestSchema>
/** One filter of a browse request. */
export type BrowseFilter = NonNullable<BrowseRequest['filters']>[number]

/**
 * Checks a browse request (a page's JSON body): USAGE naming the first problem when it is malformed, a
 * `between` without `value2`, a comparison filter without `value`, or a query without a partition value.
 */
export function parseBrowseRequest(body: unknown): BrowseRequest {
  const parsed = BrowseRequestSchema.safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `
    throw new DdbmError('USAGE', `Bad browse request: ${where}${issue?.message ?? 'invalid'}`)
  }
  const req = parsed.data
  if (req.mode === 'query' && req.key === undefined) {
    throw new DdbmError('USAGE', 'Bad browse request: a query needs key.partition.value')
  }
  if (req.key?.sort?.op === 'between' && req.key.sort.value2 === undefined) {
    throw new DdbmError('USAGE', 'Bad browse request: key.sort between needs value2')
  }
  for (const f of req.filters ?? []) {
    const unary = f.op === 'attribute_exists' || f.op === 'attribute_not_exists'
    if (!unary && f.value === undefined) {
      throw new DdbmError(
        'USAGE',
        `Bad browse request: filter ${f.op} on ${f.attribute} needs value`,
      )
    }
    if (f.op === 'between' && f.value2 === undefined) {
      throw new DdbmError(
        'USAGE',
        `Bad browse request: filter between on ${f.attribute} needs value2`,
      )
    }
  }
  return req
}

/** The expressions of one Query or Scan: absent parts are left out of the call. */
export type Expressions = {
  keyCondition?: string
  filter?: string
  names?: Record<string, string>
  values?: Record<string, Wire>
}

/**
 * The KeyConditionExpression (query only: the partition key `=` and the sort key's condition) and the
 * FilterExpression (every filter, joined by AND) of `req` on an index or a table whose key is `keys`.
 * Key values are typed by the key schema (N: a number or a numeric string; B: base64); filter values by
 * their JSON type (string S, number N, boolean BOOL, null NULL, array L, object M). Every attribute name
 * goes through a placeholder (reserved words, dots and dashes are names, never paths). USAGE when the
 * sort condition is given for a key without a sort key, or a key value does not fit its type.
 */
export function buildExpressions(req: BrowseRequest, keys: readonly KeyAttr[]): Expressions {
  const names: Record<string, string> = {}
  const values: Record<string, Wire> = {}
  const name = (attribute: string): string => {
    const existing = Object.entries(names).find(([, n]) => n === attribute)?.[0]
    if (existing !== undefined) return existing
    const placeholder = `#n${Object.keys(names).length}`
    names[placeholder] = attribute
    return placeholder
  }
  const value = (v: Wire): string => {
    const placeholder = `:v${Object.keys(values).length}`
    values[placeholder] = v
    return placeholder
  }
  const out: Expressions = {}
  if (req.mode === 'query' && req.key !== undefined) {
    const hash = keys.find((k) => k.role === 'HASH')
    if (hash === undefined) throw new DdbmError('USAGE', 'The key schema has no partition key')
    const parts = [`${name(hash.name)} = ${value(keyValue(req.key.partition.value, hash))}`]
    const sort = req.key.sort
    if (sort !== undefined) {
      const range = keys.find((k) => k.role === 'RANGE')
      if (range === undefined) {
        throw new DdbmError('USAGE', 'Bad browse request: this key has no sort key (key.sort)')
      }
      const n = name(range.name)
      const v = value(keyValue(sort.value, range))
      if (sort.op === 'between') {
        parts.push(`${n} BETWEEN ${v} AND ${value(keyValue(sort.value2 ?? '', range))}`)
      } else if (sort.op === 'begins_with') {
        parts.push(`begins_with(${n}, ${v})`)
      } else {
        parts.push(`${n} ${sort.op} ${v}`)
      }
    }
    out.keyCondition = parts.join(' AND ')
  }
  const filters = (req.filters ?? []).map((f) => filterText(f, name, value))
  if (filters.length > 0) out.filter = filters.join(' AND ')
  if (Object.keys(names).length > 0) out.names = names
  if (Object.keys(values).length > 0) out.values = values
  return out
}

function filterText(
  f: BrowseFilter,
  name: (attribute: string) => string,
  value: (v: Wire) => string,
): string {
  const n = name(f.attribute)
  switch (f.op) {
    case 'attribute_exists':
    case 'attribute_not_exists':
      return `${f.op}(${n})`
    case 'begins_with':
    case 'contains':
      return `${f.op}(${n}, ${value(wireOf(f.value))})`
    case 'between':
      return `${n} BETWEEN ${value(wireOf(f.value))} AND ${value(wireOf(f.value2))}`
    default:
      return `${n} ${f.op} ${value(wireOf(f.value))}`
  }
}

/**
 * The opaque cursor of a page: base64url of the LastEvaluatedKey, whose values are key attributes (S, N
 * or B). {@link decodeCursor} reverses it.
 */
export function encodeCursor(lastKey: Record<string, object>): string {
  const plain = Object.fromEntries(
    Object.entries(lastKey).map(([k, v]) => {
      const { B } = v as { B?: unknown }
      return [k, B instanceof Uint8Array ? { B: toBase64(B) } : v]
    }),
  )
  return toBase64(new TextEncoder().encode(JSON.stringify(plain)), true)
}

/** The ExclusiveStartKey of a cursor from {@link encodeCursor}; USAGE when it is not one. */
export function decodeCursor(cursor: string): Record<string, Wire> {
  const bad = () => new DdbmError('USAGE', 'Bad browse request: cursor is not one this studio gave')
  let parsed: unknown
  try {
    parsed = JSON.parse(new TextDecoder().decode(fromBase64(cursor)))
  } catch {
    throw bad()
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad()
  const out: Record<string, Wire> = {}
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof v !== 'object' || v === null) throw bad()
    const { S, N, B } = v as { S?: unknown; N?: unknown; B?: unknown }
    if (typeof S === 'string') out[k] = { S }
    else if (typeof N === 'string') out[k] = { N }
    else if (typeof B === 'string') out[k] = { B: fromBase64(B) }
    else throw bad()
  }
  return out
}
