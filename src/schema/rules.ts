import { sortIssues } from './issues.js'
import type { Issue } from './issues.js'
import type {
  GlobalSecondaryIndex,
  KeySchema,
  LocalSecondaryIndex,
  TableSchema,
} from './table-schema.js'

/**
 * The rules DynamoDB itself enforces on a table definition (see shared DYNAMODB-FACTS.md "Naming and
 * key limits", "GSI lifecycle", tags, TTL, PITR), as small pure functions. Each returns every issue
 * it finds, with the file, the JSON path, a message quoting the offending value and a hint.
 */
export type Rule = (table: TableSchema, file: string) => Issue[]

type Add = (path: string, message: string, hint: string) => void
type IndexRef = { path: string; index: GlobalSecondaryIndex | LocalSecondaryIndex }

const NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/
const TAG_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u
const TAG_CHARS_HINT = 'use only letters, digits, spaces and + - = . _ : / @'
const MAX_GSIS = 20
const MAX_LSIS = 5
const MAX_PROJECTED = 100
const MAX_TAGS = 50

const q = (value: unknown): string => JSON.stringify(value)
const at = (base: string, rest: string): string => (base === '' ? rest : `${base}.${rest}`)
const chars = (text: string): number => [...text].length

/** A Rule from a check that reports through `add`, which fills in the file. */
function rule(check: (table: TableSchema, add: Add) => void): Rule {
  return (table, file) => {
    const issues: Issue[] = []
    check(table, (path, message, hint) => issues.push({ file, path, message, hint }))
    return issues
  }
}

function gsis(table: TableSchema): IndexRef[] {
  const list = table.GlobalSecondaryIndexes ?? []
  return list.map((index, i) => ({ path: `GlobalSecondaryIndexes[${i}]`, index }))
}

function lsis(table: TableSchema): IndexRef[] {
  const list = table.LocalSecondaryIndexes ?? []
  return list.map((index, i) => ({ path: `LocalSecondaryIndexes[${i}]`, index }))
}

const indexes = (table: TableSchema): IndexRef[] => [...gsis(table), ...lsis(table)]

/** The table's key schema and every index's, each with the path of its owner ('' for the table). */
function keySchemas(table: TableSchema): Array<{ base: string; keys: KeySchema }> {
  const own = { base: '', keys: table.KeySchema }
  return [own, ...indexes(table).map((r) => ({ base: r.path, keys: r.index.KeySchema }))]
}

function checkName(name: string, what: string, path: string, add: Add, hintTail = ''): void {
  if (name !== '' && !NAME_PATTERN.test(name)) {
    const fixed = q(name.replace(/[^a-zA-Z0-9_.-]+/g, '-'))
    const hint = `use only letters, digits, "_", "-" and ".", e.g. ${fixed}${hintTail}`
    return add(path, `${q(name)} has characters outside [a-zA-Z0-9_.-]`, hint)
  }
  const length = chars(name)
  if (length >= 3 && length <= 255) return
  const hint = length < 3 ? 'use a name of at least 3 characters' : 'shorten it to 255 characters'
  add(path, `${q(name)} is ${length} characters long; ${what} names are 3-255`, hint + hintTail)
}

const tableName = rule((table, add) =>
  checkName(table.TableName, 'table', 'TableName', add, ', and rename the file to match'),
)

const indexNames = rule((table, add) => {
  for (const r of indexes(table)) checkName(r.index.IndexName, 'index', `${r.path}.IndexName`, add)
})

const keySchemaShape = rule((table, add) => {
  for (const { base, keys } of keySchemas(table)) {
    const path = at(base, 'KeySchema')
    const [first, second] = keys
    if (first === undefined) {
      const hint = 'add { "AttributeName": "PK", "KeyType": "HASH" }'
      add(path, 'is empty; a key schema needs a HASH element', hint)
    } else if (keys.length > 2) {
      const message = `has ${keys.length} elements; a key schema has 1 (HASH) or 2 (HASH, RANGE)`
      add(path, message, 'keep one HASH element and at most one RANGE element')
    } else if (first.KeyType === 'RANGE' && second?.KeyType === 'HASH') {
      const hint = 'swap the two elements: the HASH element comes first'
      add(path, 'lists the RANGE element before the HASH element', hint)
    } else {
      if (first.KeyType !== 'HASH') {
        const message = `${q(first.KeyType)} must be "HASH": the first element is the partition key`
        add(`${path}[0].KeyType`, message, 'set "KeyType": "HASH" (a sort key comes second)')
      }
      if (second !== undefined && second.KeyType !== 'RANGE') {
        const message = `${q(second.KeyType)} must be "RANGE": a key has one HASH element`
        add(`${path}[1].KeyType`, message, 'set "KeyType": "RANGE" on the second element')
      }
      if (second !== undefined && second.AttributeName === first.AttributeName) {
        const message = `${q(second.AttributeName)} is already the HASH element of this key`
        add(`${path}[1].AttributeName`, message, 'use another attribute as the RANGE key')
      }
    }
  }
})

const keyAttributesDefined = rule((table, add) => {
  const defined = new Set(table.AttributeDefinitions.map((d) => d.AttributeName))
  for (const { base, keys } of keySchemas(table)) {
    keys.forEach((k, i) => {
      if (defined.has(k.AttributeName)) return
      const entry = `{ "AttributeName": ${q(k.AttributeName)}, "AttributeType": "S" }`
      const hint = `add ${entry} to AttributeDefinitions ("N" for a number, "B" for binary)`
      const message = `${q(k.AttributeName)} is not in AttributeDefinitions`
      add(at(base, `KeySchema[${i}].AttributeName`), message, hint)
    })
  }
})

const noUnusedDefinitions = rule((table, add) => {
  const used = new Set(keySchemas(table).flatMap(({ keys }) => keys.map((k) => k.AttributeName)))
  const seen = new Set<string>()
  table.AttributeDefinitions.forEach((d, i) => {
    const repeated = seen.has(d.AttributeName)
    seen.add(d.AttributeName)
    if (repeated || used.has(d.AttributeName)) return
    const message = `${q(d.AttributeName)} is not used by any key schema; DynamoDB rejects unused definitions`
    const hint = 'remove this entry: only key attributes of the table and its indexes are defined'
    add(`AttributeDefinitions[${i}]`, message, hint)
  })
})

const noDuplicateDefinitions = rule((table, add) => {
  const first = new Map<string, number>()
  table.AttributeDefinitions.forEach((d, i) => {
    const earlier = first.get(d.AttributeName)
    if (earlier === undefined) return void first.set(d.AttributeName, i)
    const message = `${q(d.AttributeName)} is already defined at AttributeDefinitions[${earlier}]`
    const hint = 'remove this entry: each attribute is defined once'
    add(`AttributeDefinitions[${i}].AttributeName`, message, hint)
  })
})

const uniqueIndexNames = rule((table, add) => {
  const first = new Map<string, string>()
  for (const { path, index } of indexes(table)) {
    const earlier = first.get(index.IndexName)
    if (earlier === undefined) {
      first.set(index.IndexName, path)
      continue
    }
    const hint = 'rename one of them: index names are unique across the GSIs and LSIs of a table'
    add(`${path}.IndexName`, `${q(index.IndexName)} is already the name of ${earlier}`, hint)
  }
})

const indexLimits = rule((table, add) => {
  const g = table.GlobalSecondaryIndexes?.length ?? 0
  const l = table.LocalSecondaryIndexes?.length ?? 0
  if (g > MAX_GSIS) {
    const message = `has ${g} indexes; DynamoDB allows at most ${MAX_GSIS} global secondary indexes`
    const hint = `remove ${g - MAX_GSIS} (20 is the default quota of AWS accounts)`
    add('GlobalSecondaryIndexes', message, hint)
  }
  if (l > MAX_LSIS) {
    const message = `has ${l} indexes; DynamoDB allows at most ${MAX_LSIS} local secondary indexes`
    add('LocalSecondaryIndexes', message, `remove ${l - MAX_LSIS}, or make them global indexes`)
  }
})

const lsiKeys = rule((table, add) => {
  const refs = lsis(table)
  if (refs.length === 0) return
  const tableHash = table.KeySchema.find((k) => k.KeyType === 'HASH')?.AttributeName
  if (!table.KeySchema.some((k) => k.KeyType === 'RANGE')) {
    const message = "need a table with a RANGE key, but the table's KeySchema has none"
    const hint =
      'add a RANGE element to the table KeySchema, or make these global secondary indexes'
    add('LocalSecondaryIndexes', message, hint)
  }
  for (const { path, index } of refs) {
    const [first] = index.KeySchema
    if (index.KeySchema.length === 1) {
      const message = "has no RANGE element; an LSI has the table's HASH key and its own RANGE key"
      const hint =
        'add { "AttributeName": "<sort attribute>", "KeyType": "RANGE" }, or make it a GSI'
      add(`${path}.KeySchema`, message, hint)
    }
    if (first?.KeyType === 'HASH' && tableHash !== undefined && first.AttributeName !== tableHash) {
      const message = `${q(first.AttributeName)} is not the table's HASH key ${q(tableHash)}`
      const hint = `write ${q(tableHash)} (an LSI shares the table's partition key), or make it a GSI`
      add(`${path}.KeySchema[0].AttributeName`, message, hint)
    }
  }
})

const projections = rule((table, add) => {
  for (const { path, index } of indexes(table)) {
    const { ProjectionType: type, NonKeyAttributes: attrs } = index.Projection
    if (type === 'INCLUDE' && (attrs === undefined || attrs.length === 0)) {
      const where =
        attrs === undefined ? `${path}.Projection` : `${path}.Projection.NonKeyAttributes`
      const what = attrs === undefined ? 'there are none' : 'the list is empty'
      const hint =
        'list the attributes to copy, e.g. "NonKeyAttributes": ["name"], or use "ProjectionType": "KEYS_ONLY" or "ALL"'
      add(where, `ProjectionType "INCLUDE" needs NonKeyAttributes, but ${what}`, hint)
    } else if (type !== 'INCLUDE' && attrs !== undefined) {
      const actual = type === undefined ? 'is not set' : `is ${q(type)}`
      const message = `are only allowed with ProjectionType "INCLUDE", but ProjectionType ${actual}`
      const hint = 'set "ProjectionType": "INCLUDE", or remove NonKeyAttributes'
      add(`${path}.Projection.NonKeyAttributes`, message, hint)
    }
  }
})

const projectedAttributeLimit = rule((table, add) => {
  let total = 0
  for (const { path, index } of indexes(table)) {
    if (index.Projection.ProjectionType !== 'INCLUDE') continue
    // DynamoDB counts distinct attributes per index, summed over the indexes (LSI.md, ServiceQuotas.md)
    total += new Set(index.Projection.NonKeyAttributes ?? []).size
    if (total <= MAX_PROJECTED) continue
    const message = `brings the projected non-key attributes of all indexes to ${total}; DynamoDB allows at most ${MAX_PROJECTED}`
    const hint =
      'project fewer attributes (one projected into two indexes counts twice), or use "ProjectionType": "ALL"'
    return add(`${path}.Projection.NonKeyAttributes`, message, hint)
  }
})

/** The billing mode (absent means PROVISIONED, as in CloudFormation) and how to say so. */
function billing(table: TableSchema): { mode: string; text: string } {
  if (table.BillingMode === undefined) {
    return { mode: 'PROVISIONED', text: 'BillingMode is not set (so "PROVISIONED")' }
  }
  return { mode: table.BillingMode, text: `BillingMode is ${q(table.BillingMode)}` }
}

/** The table and each GSI: the owners of throughput settings, with their paths. */
function throughputOwners(
  table: TableSchema,
): Array<{ base: string; owner: GlobalSecondaryIndex | TableSchema }> {
  return [{ base: '', owner: table }, ...gsis(table).map((r) => ({ base: r.path, owner: r.index }))]
}

const provisionedThroughput = rule((table, add) => {
  const { mode, text } = billing(table)
  for (const { base, owner } of throughputOwners(table)) {
    const path = at(base, 'ProvisionedThroughput')
    if (mode === 'PROVISIONED' && owner.ProvisionedThroughput === undefined) {
      const hint =
        'add "ProvisionedThroughput": { "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 }, or set "BillingMode": "PAY_PER_REQUEST" on the table'
      add(path, `is required because ${text}`, hint)
    } else if (mode === 'PAY_PER_REQUEST' && owner.ProvisionedThroughput !== undefined) {
      const hint =
        'remove ProvisionedThroughput (OnDemandThroughput caps request units), or set "BillingMode": "PROVISIONED" on the table'
      add(path, `is not allowed because ${text}`, hint)
    }
  }
})

const onDemandThroughput = rule((table, add) => {
  const { mode, text } = billing(table)
  for (const { base, owner } of throughputOwners(table)) {
    const spec = owner.OnDemandThroughput
    if (spec === undefined) continue
    const path = at(base, 'OnDemandThroughput')
    if (mode !== 'PAY_PER_REQUEST') {
      const message = `is only allowed with BillingMode "PAY_PER_REQUEST", but ${text}`
      add(path, message, 'remove OnDemandThroughput, or set "BillingMode": "PAY_PER_REQUEST"')
      continue
    }
    for (const key of ['MaxReadRequestUnits', 'MaxWriteRequestUnits'] as const) {
      if (spec[key] !== 0) continue
      const hint = 'use a positive number of request units, or -1 for no limit'
      add(`${path}.${key}`, '0 is not a valid maximum', hint)
    }
  }
})

const timeToLive = rule((table, add) => {
  const spec = table.TimeToLiveSpecification
  if (spec === undefined) return
  const name = spec.AttributeName
  if (spec.Enabled && (name === undefined || name === '')) {
    const message =
      name === undefined ? 'is required when Enabled is true' : '"" is empty but Enabled is true'
    const hint =
      'name the attribute that holds the expiry time in epoch seconds, e.g. "AttributeName": "expiresAt"'
    add('TimeToLiveSpecification.AttributeName', message, hint)
  }
  table.AttributeDefinitions.forEach((d, i) => {
    if (name === undefined || d.AttributeName !== name || d.AttributeType === 'N') return
    const message = `${q(d.AttributeType)} cannot be the type of TTL attribute ${q(name)}; TTL needs a Number`
    const hint = 'set "AttributeType": "N" (TTL values are epoch seconds), or use another attribute'
    add(`AttributeDefinitions[${i}].AttributeType`, message, hint)
  })
})

const pointInTimeRecovery = rule((table, add) => {
  const spec = table.PointInTimeRecoverySpecification
  const days = spec?.RecoveryPeriodInDays
  if (spec === undefined || days === undefined) return
  const path = 'PointInTimeRecoverySpecification.RecoveryPeriodInDays'
  if (spec.PointInTimeRecoveryEnabled !== true) {
    const hint = 'set "PointInTimeRecoveryEnabled": true, or remove RecoveryPeriodInDays'
    add(path, `${days} is set but PointInTimeRecoveryEnabled is not true`, hint)
  }
  if (days < 1 || days > 35) {
    const message = `${days} is out of range; DynamoDB keeps 1-35 days of recovery points`
    add(path, message, 'use a whole number of days from 1 to 35 (35 is the default)')
  }
})

const serverSideEncryption = rule((table, add) => {
  const spec = table.SSESpecification
  if (spec === undefined) return
  for (const key of ['SSEType', 'KMSMasterKeyId'] as const) {
    const value = spec[key]
    if (spec.SSEEnabled || value === undefined) continue
    const hint = `set "SSEEnabled": true, or remove ${key} (SSEEnabled false means the AWS owned key)`
    add(`SSESpecification.${key}`, `${q(value)} is set but SSEEnabled is false`, hint)
  }
  if (spec.SSEEnabled && spec.KMSMasterKeyId !== undefined && spec.SSEType !== 'KMS') {
    const actual = spec.SSEType === undefined ? 'is not set' : `is ${q(spec.SSEType)}`
    const message = `${q(spec.KMSMasterKeyId)} needs SSEType "KMS", but SSEType ${actual}`
    const hint = 'set "SSEType": "KMS", or remove KMSMasterKeyId to use the AWS managed key'
    add('SSESpecification.KMSMasterKeyId', message, hint)
  }
})

const tags = rule((table, add) => {
  const list = table.Tags ?? []
  if (list.length > MAX_TAGS) {
    const message = `has ${list.length} tags; DynamoDB allows at most ${MAX_TAGS} per table`
    add('Tags', message, `remove ${list.length - MAX_TAGS}`)
  }
  const first = new Map<string, number>()
  list.forEach(({ Key: key, Value: value }, i) => {
    const keyLength = chars(key)
    const earlier = first.get(key)
    if (earlier === undefined) first.set(key, i)
    const path = `Tags[${i}].Key`
    if (keyLength < 1 || keyLength > 128) {
      const message = `${q(key)} is ${keyLength} characters long; tag keys are 1-128`
      add(path, message, keyLength < 1 ? 'give the tag a key' : 'shorten the key to 128 characters')
    } else if (key.toLowerCase().startsWith('aws:')) {
      const hint = `use a key without the prefix, e.g. ${q(key.slice(4) || 'Application')}`
      add(path, `${q(key)} starts with the reserved prefix "aws:"`, hint)
    } else if (!TAG_PATTERN.test(key)) {
      add(path, `${q(key)} has characters not allowed in tags`, TAG_CHARS_HINT)
    } else if (earlier !== undefined) {
      const hint = 'remove one of them: tag keys are unique'
      add(path, `${q(key)} is already used by Tags[${earlier}]`, hint)
    }
    const valueLength = chars(value)
    if (valueLength > 256) {
      const message = `is ${valueLength} characters long; tag values are at most 256`
      add(`Tags[${i}].Value`, message, 'shorten the value to 256 characters')
    } else if (!TAG_PATTERN.test(value)) {
      add(`Tags[${i}].Value`, `${q(value)} has characters not allowed in tags`, TAG_CHARS_HINT)
    }
  })
})

/** Every rule; checkTable runs them all, so a file's problems are all reported at once. */
export const RULES: readonly Rule[] = [
  tableName,
  indexNames,
  keySchemaShape,
  keyAttributesDefined,
  noUnusedDefinitions,
  noDuplicateDefinitions,
  uniqueIndexNames,
  indexLimits,
  lsiKeys,
  projections,
  projectedAttributeLimit,
  provisionedThroughput,
  onDemandThroughput,
  timeToLive,
  pointInTimeRecovery,
  serverSideEncryption,
  tags,
]

/** All issues of one parsed table (every rule runs; none stops at the first problem), sorted. */
export function checkTable(table: TableSchema, file: string): Issue[] {
  return sortIssues(RULES.flatMap((check) => check(table, file)))
}
