import { z } from 'zod'

/**
 * The format of `schemas/<Table>.json`: the properties of CloudFormation's `AWS::DynamoDB::Table`
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html).
 * Every object is strict, so a misspelt property is an error rather than silently ignored. This
 * module only describes shape and types; the rules DynamoDB itself enforces (key attributes defined,
 * name pattern, index limits, billing consistency...) live in `rules.ts`, which reports them with
 * hints.
 */

/** `S` string, `N` number, `B` binary: the only types a key attribute may have. */
export const AttributeType = z.enum(['S', 'N', 'B'])
export type AttributeType = z.infer<typeof AttributeType>

/** `HASH` is the partition key, `RANGE` the sort key. */
export const KeyType = z.enum(['HASH', 'RANGE'])
export type KeyType = z.infer<typeof KeyType>

/** One attribute used by a key of the table or of an index, with its type. */
export const AttributeDefinition = z.strictObject({
  AttributeName: z.string(),
  AttributeType: AttributeType,
})
export type AttributeDefinition = z.infer<typeof AttributeDefinition>

/** One element of a key schema: the HASH element first, then an optional RANGE element. */
export const KeySchemaElement = z.strictObject({
  AttributeName: z.string(),
  KeyType: KeyType,
})
export type KeySchemaElement = z.infer<typeof KeySchemaElement>

/** A key schema (table, GSI or LSI). The 1-2 element rule is checked in `rules.ts`. */
export const KeySchema = z.array(KeySchemaElement)
export type KeySchema = z.infer<typeof KeySchema>

/** `PROVISIONED` (the default when BillingMode is absent, as in CloudFormation) or `PAY_PER_REQUEST`. */
export const BillingMode = z.enum(['PROVISIONED', 'PAY_PER_REQUEST'])
export type BillingMode = z.infer<typeof BillingMode>

/** Read and write capacity units of a PROVISIONED table or of one of its GSIs. */
export const ProvisionedThroughput = z.strictObject({
  ReadCapacityUnits: z.int().positive(),
  WriteCapacityUnits: z.int().positive(),
})
export type ProvisionedThroughput = z.infer<typeof ProvisionedThroughput>

/** Maximum request units of a PAY_PER_REQUEST table or GSI; `-1` means no limit. */
export const OnDemandThroughput = z.strictObject({
  MaxReadRequestUnits: z.int().min(-1).optional(),
  MaxWriteRequestUnits: z.int().min(-1).optional(),
})
export type OnDemandThroughput = z.infer<typeof OnDemandThroughput>

/**
 * Which attributes an index copies. `NonKeyAttributes` belongs with `INCLUDE` only (see rules.ts).
 * ProjectionType is required here although the API lets it out: tools disagree on what a missing one means,
 * and a schema should not leave it to them.
 */
export const Projection = z.strictObject({
  ProjectionType: z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE']),
  NonKeyAttributes: z.array(z.string()).optional(),
})
export type Projection = z.infer<typeof Projection>

/** A global secondary index: its own key schema, projection and (for PROVISIONED tables) throughput. */
export const GlobalSecondaryIndex = z.strictObject({
  IndexName: z.string(),
  KeySchema: KeySchema,
  Projection: Projection,
  ProvisionedThroughput: ProvisionedThroughput.optional(),
  OnDemandThroughput: OnDemandThroughput.optional(),
})
export type GlobalSecondaryIndex = z.infer<typeof GlobalSecondaryIndex>

/** A local secondary index: the table's HASH key with another RANGE key; only at table creation. */
export const LocalSecondaryIndex = z.strictObject({
  IndexName: z.string(),
  KeySchema: KeySchema,
  Projection: Projection,
})
export type LocalSecondaryIndex = z.infer<typeof LocalSecondaryIndex>

/** Time to live: items whose `AttributeName` (epoch seconds, a Number) is in the past expire. */
export const TimeToLiveSpecification = z.strictObject({
  AttributeName: z.string().optional(),
  Enabled: z.boolean(),
})
export type TimeToLiveSpecification = z.infer<typeof TimeToLiveSpecification>

/** Point-in-time recovery (continuous backups); `RecoveryPeriodInDays` 1-35, DynamoDB's default 35. */
export const PointInTimeRecoverySpecification = z.strictObject({
  PointInTimeRecoveryEnabled: z.boolean().optional(),
  RecoveryPeriodInDays: z.int().optional(),
})
export type PointInTimeRecoverySpecification = z.infer<typeof PointInTimeRecoverySpecification>

/** Server-side encryption. `SSEEnabled: false` means the AWS owned key; true with KMS an AWS KMS key. */
export const SSESpecification = z.strictObject({
  SSEEnabled: z.boolean(),
  SSEType: z.enum(['KMS', 'AES256']).optional(),
  KMSMasterKeyId: z.string().optional(),
})
export type SSESpecification = z.infer<typeof SSESpecification>

/** DynamoDB Streams: what each stream record holds. */
export const StreamSpecification = z.strictObject({
  StreamViewType: z.enum(['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY']),
})
export type StreamSpecification = z.infer<typeof StreamSpecification>

/** `STANDARD` or `STANDARD_INFREQUENT_ACCESS`. */
export const TableClass = z.enum(['STANDARD', 'STANDARD_INFREQUENT_ACCESS'])
export type TableClass = z.infer<typeof TableClass>

/** A resource tag. Length, prefix and uniqueness limits are checked in `rules.ts`. */
export const Tag = z.strictObject({
  Key: z.string(),
  Value: z.string(),
})
export type Tag = z.infer<typeof Tag>

/**
 * One table's desired state. `TableName` is the logical name (the physical name comes from the
 * environment's template) and must equal the file's base name. `$schema` is only for editors.
 */
export const TableSchema = z.strictObject({
  $schema: z.string().optional(),
  TableName: z.string(),
  AttributeDefinitions: z.array(AttributeDefinition),
  KeySchema: KeySchema,
  BillingMode: BillingMode.optional(),
  ProvisionedThroughput: ProvisionedThroughput.optional(),
  OnDemandThroughput: OnDemandThroughput.optional(),
  GlobalSecondaryIndexes: z.array(GlobalSecondaryIndex).optional(),
  LocalSecondaryIndexes: z.array(LocalSecondaryIndex).optional(),
  TimeToLiveSpecification: TimeToLiveSpecification.optional(),
  PointInTimeRecoverySpecification: PointInTimeRecoverySpecification.optional(),
  SSESpecification: SSESpecification.optional(),
  StreamSpecification: StreamSpecification.optional(),
  DeletionProtectionEnabled: z.boolean().optional(),
  TableClass: TableClass.optional(),
  Tags: z.array(Tag).optional(),
})
export type TableSchema = z.infer<typeof TableSchema>

/** JSON Schema (draft 2020-12) of a table file, for editors; written to `schema/table.schema.json`. */
export function tableJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(TableSchema) as Record<string, unknown>
}
