import type { TableSchema } from '../schema/table-schema.js'
import type { Item } from './define-seed.js'

export { hash53, hash64 } from './hash.js'

const TYPE_TEXT = { S: 'a string', N: 'a number', B: 'binary (a Uint8Array)' } as const

/** `"PK" (S, partition key)` and the like. */
type KeyPart = { name: string; type: 'S' | 'N' | 'B' | undefined; role: string }

function tableKeys(table: TableSchema): KeyPart[] {
  return table.KeySchema.map((k) => ({
    name: k.AttributeName,
    type: attributeType(table, k.AttributeName),
    role: k.KeyType === 'HASH' ? 'partition key' : 'sort key',
  }))
}

function attributeType(table: TableSchema, name: string): 'S' | 'N' | 'B' | undefined {
  return table.AttributeDefinitions.find((d) => d.AttributeName === name)?.AttributeType
}

/**
 * What DynamoDB would refuse in `item` as a key of `table`, one text per problem naming the attribute
 * (`[]` when it is fine): every attribute of the table's key schema present, of its declared type (S a
 * string, N a finite number or a bigint, B a Uint8Array) and not empty; every key attribute of an index
 * that the item has (an item without one is left out of that sparse index) of its declared type and not
 * empty.
 */
export function keyProblems(item: Item, table: TableSchema): string[] {
  const problems: string[] = []
  for (const key of tableKeys(table)) {
    const value = item[key.name]
    const what = `${key.type ?? '?'}, the ${key.role}`
    if (value === undefined || value === null) {
      problems.push(`missing key attribute ${JSON.stringify(key.name)} (${what})`)
      continue
    }
    const wrong = valueProblem(value, key.type)
    if (wrong !== undefined)
      problems.push(`key attribute ${JSON.stringify(key.name)} (${what}) ${wrong}`)
  }
  const indexes = [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])]
  const seen = new Set(table.KeySchema.map((k) => k.AttributeName))
  for (const index of indexes) {
    for (const k of index.KeySchema) {
      if (seen.has(k.AttributeName)) continue
      seen.add(k.AttributeName)
      const value = item[k.AttributeName]
      if (value === undefined || value === null) continue
      const type = attributeType(table, k.AttributeName)
      const wrong = valueProblem(value, type)
      if (wrong === undefined) continue
      const name = JSON.stringify(k.AttributeName)
      problems.push(`${name} (${type ?? '?'}, a key of index ${index.IndexName}) ${wrong}`)
    }
  }
  return problems
}

/** Why `value` cannot be a key value of `type`, or undefined when it can (an unknown type: anything). */
function valueProblem(value: unknown, type: 'S' | 'N' | 'B' | undefined): string | undefined {
  if (type === undefined) return undefined
  const ok =
    type === 'S'
      ? typeof value === 'string'
      : type === 'N'
        ? (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint'
        : value instanceof Uint8Array
  if (!ok) return `must be ${TYPE_TEXT[type]}, found ${describe(value)}`
  if (type === 'S' && value === '') return 'is an empty string; DynamoDB refuses empty key values'
  if (type === 'B' && (value as Uint8Array).length === 0)
    return 'is empty; DynamoDB refuses empty key values'
  return undefined
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return 'binary'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'number') return `the number ${String(value)}`
  if (typeof value === 'object' && value !== null) return 'an object'
  const text = JSON.stringify(value) ?? String(value)
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 37)}...` : text}`
}

/**
 * The primary key of `item` in `table` as one canonical text, equal for two items exactly when DynamoDB
 * sees the same key: the key attributes in key-schema order, each as type and value (a number as its
 * shortest decimal text, so `1`, `1.0` and `1n` agree; binary as hex). For items without key problems.
 */
export function keyText(item: Item, table: TableSchema): string {
  const parts = tableKeys(table).map((key) => `${key.type ?? '?'}:${canonical(item[key.name])}`)
  return JSON.stringify(parts)
}

function canonical(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) >= 1e21
      ? BigInt(value).toString()
      : String(value)
  }
  if (value instanceof Uint8Array)
    return [...value].map((b) => b.toString(16).padStart(2, '0')).join('')
  return JSON.stringify(value) ?? String(value)
}
