import { DdbmError } from '../../errors.js'

/**
 * DynamoDB's wire values (the SDK's AttributeValue) and the plain JSON the studio's page reads and
 * edits, both ways; key values typed by the key schema. Pure.
 */

/** A key attribute's type as AttributeDefinitions declares it. */
export type KeyType = 'S' | 'N' | 'B'

/** One key attribute of a table or an index. */
export type KeyAttr = { name: string; type: KeyType; role: 'HASH' | 'RANGE' }

/**
 * A DynamoDB attribute value on the wire (the SDK's AttributeValue without its `$unknown` member): what
 * the expressions' values and the cursor are made of.
 */
export type Wire =
  | { S: string }
  | { N: string }
  | { B: Uint8Array }
  | { BOOL: boolean }
  | { NULL: true }
  | { L: Wire[] }
  | { M: Record<string, Wire> }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: Uint8Array[] }

/**
 * A key attribute's value typed by its declared type: S a string (a number is written as its text), N a
 * number or numeric string, B a base64 string. USAGE when it does not fit.
 */
export function keyValue(v: unknown, attr: KeyAttr): Wire {
  const bad = (why: string) =>
    new DdbmError('USAGE', `Key attribute ${attr.name} (${attr.type}): ${why}`, {
      attribute: attr.name,
    })
  switch (attr.type) {
    case 'S':
      if (typeof v === 'string') return { S: v }
      if (typeof v === 'number') return { S: String(v) }
      throw bad('expected a string')
    case 'N': {
      const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : ''
      if (text === '' || !Number.isFinite(Number(text))) throw bad(`expected a number`)
      return { N: text }
    }
    case 'B':
      if (typeof v !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(v)) {
        throw bad('expected base64 text')
      }
      return { B: fromBase64(v) }
  }
}

/** A JSON value as a wire value by its JSON type (string S, number N, boolean BOOL, null NULL, array L, object M). */
export function wireOf(v: unknown): Wire {
  if (typeof v === 'string') return { S: v }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new DdbmError('USAGE', `Not a finite number: ${v}`)
    return { N: String(v) }
  }
  if (typeof v === 'boolean') return { BOOL: v }
  if (v === null || v === undefined) return { NULL: true }
  if (Array.isArray(v)) return { L: v.map(wireOf) }
  if (typeof v === 'object') {
    return { M: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wireOf(x)])) }
  }
  throw new DdbmError('USAGE', `Not a JSON value: ${typeof v}`)
}

/**
 * A plain JSON value as a wire value of the type of `like` (the value it replaces) when it fits: the
 * plain form of a set (an array of distinct strings, numbers or base64 texts, not empty) a set again,
 * base64 text binary, numeric text a number, and maps and lists member by member. Anything else, and
 * any value without `like`, by its JSON type ({@link wireOf}). This keeps an edit in the studio from
 * turning a string set into a list or binary into text.
 */
export function wireLike(v: unknown, like: Wire | undefined): Wire {
  if (like === undefined) return wireOf(v)
  if ('SS' in like && isSet(v, (x) => typeof x === 'string')) return { SS: v as string[] }
  if ('NS' in like && isSet(v, isNumeric)) return { NS: (v as unknown[]).map(String) }
  if ('BS' in like && isSet(v, isBase64)) return { BS: (v as string[]).map(fromBase64) }
  if ('B' in like && isBase64(v)) return { B: fromBase64(v) }
  if ('N' in like && typeof v === 'string' && isNumeric(v)) return { N: v.trim() }
  if ('M' in like && isObject(v)) {
    return { M: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wireLike(x, like.M[k])])) }
  }
  if ('L' in like && Array.isArray(v)) return { L: v.map((x, i) => wireLike(x, like.L[i])) }
  return wireOf(v)
}

function isSet(v: unknown, member: (x: unknown) => boolean): boolean {
  return (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every(member) &&
    new Set(v.map((x) => (typeof x === 'number' ? String(x) : x))).size === v.length
  )
}

function isNumeric(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v)
  return typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
}

function isBase64(v: unknown): v is string {
  return typeof v === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * An item of a page's JSON (`PUT .../item`) as wire values: key attributes typed by `keys` (so a binary
 * key given as base64 is binary again); every other attribute as typed in `stored`, the item as the table
 * holds it now, where its plain value still fits that type ({@link wireLike}: a set stays a set, binary
 * stays binary), else by its JSON type. USAGE when the item is not an object or lacks a key attribute.
 */
export function wireItem(
  item: unknown,
  keys: readonly KeyAttr[],
  stored: Readonly<Record<string, Wire>> = {},
): Record<string, Wire> {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new DdbmError('USAGE', 'An item is a JSON object')
  }
  const out: Record<string, Wire> = {}
  for (const [k, v] of Object.entries(item)) out[k] = wireLike(v, stored[k])
  for (const attr of keys) {
    if (!(attr.name in item)) {
      throw new DdbmError('USAGE', `The item lacks its key attribute ${attr.name}`)
    }
    out[attr.name] = keyValue((item as Record<string, unknown>)[attr.name], attr)
  }
  return out
}

/** A primary key of a page's JSON (`DELETE .../item`): exactly the table's key attributes, typed by them. */
export function wireKey(key: unknown, keys: readonly KeyAttr[]): Record<string, Wire> {
  if (typeof key !== 'object' || key === null || Array.isArray(key)) {
    throw new DdbmError('USAGE', 'A key is a JSON object')
  }
  const extra = Object.keys(key).filter((k) => !keys.some((a) => a.name === k))
  if (extra.length > 0) {
    throw new DdbmError('USAGE', `Not key attributes: ${extra.join(', ')}`)
  }
  return Object.fromEntries(keys.map((a) => [a.name, keyValue(itemField(key, a.name), a)]))
}

function itemField(obj: object, field: string): unknown {
  if (!(field in obj)) throw new DdbmError('USAGE', `The key lacks ${field}`)
  return (obj as Record<string, unknown>)[field]
}

/**
 * A wire value as plain JSON: S a string, N a number (a string when a number would lose digits), B
 * base64, sets as arrays, BOOL, NULL as null, L and M recursively.
 */
export function plainOf(v: Record<string, unknown>): unknown {
  if (typeof v.S === 'string') return v.S
  if (typeof v.N === 'string') return plainNumber(v.N)
  if (v.B instanceof Uint8Array) return toBase64(v.B)
  if (typeof v.BOOL === 'boolean') return v.BOOL
  if (v.NULL === true) return null
  if (Array.isArray(v.SS)) return [...(v.SS as string[])]
  if (Array.isArray(v.NS)) return (v.NS as string[]).map(plainNumber)
  if (Array.isArray(v.BS)) return (v.BS as Uint8Array[]).map((b) => toBase64(b))
  if (Array.isArray(v.L)) return (v.L as Record<string, unknown>[]).map(plainOf)
  if (typeof v.M === 'object' && v.M !== null) return plainItem(v.M as Record<string, unknown>)
  return null
}

/** Every attribute of a wire item as plain JSON ({@link plainOf}). */
export function plainItem(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(item).map(([k, v]) => [k, plainOf(v as Record<string, unknown>)]),
  )
}

function plainNumber(n: string): number | string {
  const x = Number(n)
  // 1e2 and 100 are the same number; only a value that loses digits stays text.
  return Number.isFinite(x) && (!Number.isInteger(x) || Number.isSafeInteger(x)) ? x : n
}

/** Base64 (or base64url without padding) of bytes. */
export function toBase64(bytes: Uint8Array, url = false): string {
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  const text = btoa(binary)
  return url ? text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') : text
}

/** Bytes of base64 or base64url text. */
export function fromBase64(text: string): Uint8Array {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/')
  const padded = standard + '='.repeat((4 - (standard.length % 4)) % 4)
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0))
}
