import { q, rule } from './rule.js'

/** An enabled TTL names its attribute, and a TTL attribute that is defined has type N. */
export const timeToLive = rule((table, add) => {
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

/** RecoveryPeriodInDays only with PITR enabled, and within 1-35. */
export const pointInTimeRecovery = rule((table, add) => {
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

/** SSEType and KMSMasterKeyId only with SSEEnabled, and a KMS key only with SSEType KMS. */
export const serverSideEncryption = rule((table, add) => {
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
