import { indexes, lsis, q, rule } from './rule.js'

/** Global secondary indexes per table (the default quota of AWS accounts). */
export const MAX_GSIS = 20
const MAX_LSIS = 5
/** Projected non-key attributes over all the indexes of a table, each index counted apart. */
export const MAX_PROJECTED = 100

/** At most 20 global and 5 local secondary indexes. */
export const indexLimits = rule((table, add) => {
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

/** LSIs need a table with a RANGE key, and share the table's HASH key with a RANGE key of their own. */
export const lsiKeys = rule((table, add) => {
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

/** NonKeyAttributes is present, and not empty, exactly when ProjectionType is INCLUDE. */
export const projections = rule((table, add) => {
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

/** The INCLUDE projections of all indexes together name at most 100 non-key attributes. */
export const projectedAttributeLimit = rule((table, add) => {
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
