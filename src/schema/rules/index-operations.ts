import { suggest } from '../../zod-issues.js'
import type { GlobalSecondaryIndex, OnDemandThroughput, TableSchema } from '../table-schema.js'
import { MAX_GSIS, MAX_PROJECTED, projections } from './indexes.js'
import { keySchemaShape } from './keys.js'
import { indexNames } from './names.js'
import { bare, reuse, under, type OperationCheck } from './operation-rule.js'
import { indexes, keySchemas, q, type Add } from './rule.js'

const THROUGHPUT = '{ "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 }'

/** The billing mode of `table` in words ("BillingMode not set, so PROVISIONED"), for messages. */
function billingText(name: string, table: TableSchema): string {
  const mode =
    table.BillingMode === undefined
      ? 'BillingMode not set (so "PROVISIONED")'
      : `BillingMode ${q(table.BillingMode)}`
  return `table ${q(name)} has ${mode} at this point`
}

/** Distinct non-key attributes projected by the INCLUDE indexes, each index counted apart. */
function projected(list: readonly Pick<GlobalSecondaryIndex, 'Projection'>[]): number {
  return list
    .filter((i) => i.Projection.ProjectionType === 'INCLUDE')
    .reduce((sum, i) => sum + new Set(i.Projection.NonKeyAttributes ?? []).size, 0)
}

/**
 * createGsi: the index's own rules (name, key schema, projection); each key attribute defined, by the
 * operation or by the table (the executor sends both); each definition used by a key, defined once and of
 * the type the table already gives that attribute; then, when the table exists at that point, its limits
 * with the new index (20 GSIs, 100 projected attributes) and the throughput its billing mode needs.
 */
export const createGsiRules: OperationCheck<'createGsi'> = (op, table, add) => {
  const { index } = op
  const alone = bare(op.table, { GlobalSecondaryIndexes: [index] })
  reuse(
    [indexNames, keySchemaShape, projections],
    alone,
    under('GlobalSecondaryIndexes[0]', 'index'),
    add,
  )
  attributeDefinitions(op.table, index, op.attributeDefinitions, table, add)
  if (table === undefined) return
  const gsis = table.GlobalSecondaryIndexes ?? []
  if (gsis.length >= MAX_GSIS) {
    const message = `would be global secondary index number ${gsis.length + 1} of table ${q(op.table)}; DynamoDB allows at most ${MAX_GSIS}`
    const hint = `delete an index first (deleteGsi), or ask AWS to raise the quota (${MAX_GSIS} is the default)`
    add('index', message, hint)
  }
  const total = projected(indexes(table).map((r) => r.index)) + projected([index])
  if (index.Projection.ProjectionType === 'INCLUDE' && total > MAX_PROJECTED) {
    const message = `brings the projected non-key attributes of the indexes of ${q(op.table)} to ${total}; DynamoDB allows at most ${MAX_PROJECTED}`
    const hint =
      'project fewer attributes (one projected into two indexes counts twice), or use "ProjectionType": "ALL"'
    add('index.Projection.NonKeyAttributes', message, hint)
  }
  const onDemand = table.BillingMode === 'PAY_PER_REQUEST'
  if (!onDemand && index.ProvisionedThroughput === undefined) {
    const hint = `add "ProvisionedThroughput": ${THROUGHPUT} to the index, or switch the table to "PAY_PER_REQUEST" first (updateBilling)`
    add('index.ProvisionedThroughput', `is required: ${billingText(op.table, table)}`, hint)
  }
  if (onDemand && index.ProvisionedThroughput !== undefined) {
    const hint = 'remove ProvisionedThroughput (OnDemandThroughput caps request units)'
    add('index.ProvisionedThroughput', `is not allowed: ${billingText(op.table, table)}`, hint)
  }
  if (!onDemand && index.OnDemandThroughput !== undefined) {
    const message = `is only allowed with BillingMode "PAY_PER_REQUEST", but ${billingText(op.table, table)}`
    add('index.OnDemandThroughput', message, 'remove OnDemandThroughput')
  }
  if (onDemand) zeroMaximums('index.OnDemandThroughput', index.OnDemandThroughput, add)
}

/** The `attributeDefinitions` of a createGsi against its index's keys and the table's definitions. */
function attributeDefinitions(
  name: string,
  index: GlobalSecondaryIndex,
  defs: readonly { AttributeName: string; AttributeType: string }[],
  table: TableSchema | undefined,
  add: Add,
): void {
  const tableTypes = new Map(
    table?.AttributeDefinitions.map((d) => [d.AttributeName, d.AttributeType]),
  )
  const tableKeys = new Set(
    table === undefined ? [] : keySchemas(table).flatMap((k) => k.keys.map((e) => e.AttributeName)),
  )
  const indexKeys = new Set(index.KeySchema.map((k) => k.AttributeName))
  const first = new Map<string, number>()
  defs.forEach((d, i) => {
    const path = `attributeDefinitions[${i}]`
    const earlier = first.get(d.AttributeName)
    if (earlier !== undefined) {
      const message = `${q(d.AttributeName)} is already defined at attributeDefinitions[${earlier}]`
      return add(
        `${path}.AttributeName`,
        message,
        'remove this entry: each attribute is defined once',
      )
    }
    first.set(d.AttributeName, i)
    const type = tableTypes.get(d.AttributeName)
    if (type !== undefined && type !== d.AttributeType) {
      const message = `${q(d.AttributeType)} clashes with table ${q(name)}, where ${q(d.AttributeName)} is a key attribute of type ${q(type)}`
      const hint = `write "AttributeType": ${q(type)} (an attribute has one type in all the keys of a table), or key the index on another attribute`
      add(`${path}.AttributeType`, message, hint)
    } else if (!indexKeys.has(d.AttributeName) && !tableKeys.has(d.AttributeName)) {
      const message = `${q(d.AttributeName)} is not in the index's KeySchema; DynamoDB rejects definitions no key uses`
      add(path, message, "remove this entry: list the attributes of the index's KeySchema")
    }
  })
  index.KeySchema.forEach((k, i) => {
    if (first.has(k.AttributeName) || tableTypes.has(k.AttributeName)) return
    const nor = table === undefined ? '' : ` nor a key attribute of table ${q(name)}`
    const entry = `{ "AttributeName": ${q(k.AttributeName)}, "AttributeType": "S" }`
    const hint = `add ${entry} to "attributeDefinitions" ("N" for a number, "B" for binary)`
    const message = `${q(k.AttributeName)} is not in attributeDefinitions${nor}`
    add(`index.KeySchema[${i}].AttributeName`, message, hint)
  })
}

/**
 * updateBilling: PROVISIONED takes `provisionedThroughput` for the table and, in `indexes`, for every GSI
 * the table has at that point; PAY_PER_REQUEST takes no provisioned throughput, and on-demand maximums
 * only with it (never 0); every entry of `indexes` names a GSI of the table.
 */
export const updateBillingRules: OperationCheck<'updateBilling'> = (op, table, add) => {
  const onDemand = op.billingMode === 'PAY_PER_REQUEST'
  const mode = `with "billingMode": ${q(op.billingMode)}`
  if (!onDemand && op.provisionedThroughput === undefined) {
    add(
      'provisionedThroughput',
      `is required ${mode}`,
      `add "provisionedThroughput": ${THROUGHPUT}`,
    )
  }
  if (onDemand && op.provisionedThroughput !== undefined) {
    const hint = 'remove it (onDemandThroughput caps request units)'
    add('provisionedThroughput', `is not allowed ${mode}`, hint)
  }
  if (!onDemand && op.onDemandThroughput !== undefined) {
    const hint = 'remove it, or switch to "PAY_PER_REQUEST"'
    add('onDemandThroughput', `is only allowed with "billingMode": "PAY_PER_REQUEST"`, hint)
  }
  zeroMaximums('onDemandThroughput', op.onDemandThroughput, add)
  const gsis =
    table === undefined ? undefined : (table.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName)
  const entries = op.indexes ?? []
  entries.forEach((entry, k) => {
    const path = `indexes[${k}]`
    if (gsis !== undefined && !gsis.includes(entry.IndexName)) {
      const message = `${q(entry.IndexName)} is not a global secondary index of ${q(op.table)} at this point`
      const hint =
        gsis.length === 0
          ? 'remove this entry: the table has no global secondary index'
          : suggest(entry.IndexName, gsis, 'its indexes')
      add(`${path}.IndexName`, message, hint)
    }
    if (onDemand && entry.ProvisionedThroughput !== undefined) {
      add(`${path}.ProvisionedThroughput`, `is not allowed ${mode}`, 'remove it')
    }
    if (!onDemand && entry.OnDemandThroughput !== undefined) {
      const message = `is only allowed with "billingMode": "PAY_PER_REQUEST"`
      add(`${path}.OnDemandThroughput`, message, 'remove it')
    }
    zeroMaximums(`${path}.OnDemandThroughput`, entry.OnDemandThroughput, add)
  })
  if (onDemand || gsis === undefined) return
  for (const name of gsis) {
    if (entries.some((e) => e.IndexName === name && e.ProvisionedThroughput !== undefined)) continue
    const message = `has no ProvisionedThroughput for index ${q(name)} of ${q(op.table)}; a PROVISIONED table needs it for every global secondary index`
    const hint = `add { "IndexName": ${q(name)}, "ProvisionedThroughput": ${THROUGHPUT} } to "indexes"`
    add('indexes', message, hint)
  }
}

/** A maximum of 0 request units, which DynamoDB refuses (-1 means no limit). */
function zeroMaximums(path: string, spec: OnDemandThroughput | undefined, add: Add): void {
  for (const key of ['MaxReadRequestUnits', 'MaxWriteRequestUnits'] as const) {
    if (spec?.[key] !== 0) continue
    const hint = 'use a positive number of request units, or -1 for no limit'
    add(`${path}.${key}`, '0 is not a valid maximum', hint)
  }
}
