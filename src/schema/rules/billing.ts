import type { GlobalSecondaryIndex, TableSchema } from '../table-schema.js'
import { at, gsis, q, rule } from './rule.js'

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

/** ProvisionedThroughput on the table and each GSI is required with PROVISIONED billing, and not allowed with PAY_PER_REQUEST. */
export const provisionedThroughput = rule((table, add) => {
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

/** OnDemandThroughput only with PAY_PER_REQUEST billing, and never a maximum of 0. */
export const onDemandThroughput = rule((table, add) => {
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
