import { randomUUID } from 'node:crypto'
import {
  CreateBackupCommand,
  CreateTableCommand,
  DeleteBackupCommand,
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ListBackupsCommand,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { describe, expect, onTestFinished } from 'vitest'
import { waitForTableActive } from '../../src/dynamo/wait.js'
import { dropTables, engineClient, engines, type Supports, testOn } from '../helpers/engines.js'

/** True when `call` resolves, false when the engine refuses it. */
function answers(call: Promise<unknown>): Promise<boolean> {
  return call.then(
    () => true,
    () => false,
  )
}

/**
 * Creates `name` (on demand, string HASH key `pk`, plus `extra`) and waits until it is ACTIVE; undefined
 * when the engine refuses the CreateTable.
 */
async function createTable(
  client: DynamoDBClient,
  name: string,
  extra: Partial<CreateTableCommandInput> = {},
): Promise<string | undefined> {
  const out = await client
    .send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        ...extra,
      }),
    )
    .catch(() => undefined)
  if (out === undefined) return undefined
  await waitForTableActive(client, name, { timeoutMs: 30_000 })
  return out.TableDescription?.TableArn
}

/** What the engine behind `client` does, measured one Supports flag at a time on tables named `*-suffix`. */
async function measure(
  client: DynamoDBClient,
  suffix: string,
): Promise<Omit<Supports, 'atomicWrites'>> {
  const name = (what: string) => `caps_${what}-${suffix}`

  const plain = name('plain')
  await createTable(client, plain)
  const pitr =
    (await answers(
      client.send(
        new UpdateContinuousBackupsCommand({
          TableName: plain,
          PointInTimeRecoverySpecification: {
            PointInTimeRecoveryEnabled: true,
            RecoveryPeriodInDays: 7,
          },
        }),
      ),
    )) &&
    (await client
      .send(new DescribeContinuousBackupsCommand({ TableName: plain }))
      .then(
        (d) =>
          d.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.RecoveryPeriodInDays ===
          7,
      )
      .catch(() => false))

  const backupArn = await client
    .send(new CreateBackupCommand({ TableName: plain, BackupName: 'probe' }))
    .then((b) => b.BackupDetails?.BackupArn)
    .catch(() => undefined)
  const backups =
    backupArn !== undefined &&
    (await client
      .send(new ListBackupsCommand({ TableName: plain }))
      .then((l) => (l.BackupSummaries ?? []).some((s) => s.BackupArn === backupArn))
      .catch(() => false))
  if (backupArn !== undefined) await client.send(new DeleteBackupCommand({ BackupArn: backupArn }))

  const ttl =
    (await answers(
      client.send(
        new UpdateTimeToLiveCommand({
          TableName: plain,
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        }),
      ),
    )) &&
    (await client
      .send(new DescribeTimeToLiveCommand({ TableName: plain }))
      .then((d) => d.TimeToLiveDescription?.AttributeName === 'expiresAt')
      .catch(() => false))

  await client.send(
    new UpdateTableCommand({
      TableName: plain,
      AttributeDefinitions: [{ AttributeName: 'status', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: 'byStatus',
            KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        },
      ],
    }),
  )
  const described = await client.send(new DescribeTableCommand({ TableName: plain }))
  const gsiCreating = described.Table?.GlobalSecondaryIndexes?.[0]?.IndexStatus === 'CREATING'

  const taggedArn = await createTable(client, name('tagged'), {
    Tags: [{ Key: 'team', Value: 'core' }],
  })
  const tagsOf = (arn: string) =>
    client
      .send(new ListTagsOfResourceCommand({ ResourceArn: arn }))
      .then((l) => l.Tags ?? [])
      .catch(() => undefined)
  const created = taggedArn === undefined ? undefined : await tagsOf(taggedArn)
  const retagged =
    taggedArn !== undefined &&
    (await answers(
      client.send(
        new TagResourceCommand({ ResourceArn: taggedArn, Tags: [{ Key: 'app', Value: 'shop' }] }),
      ),
    )) &&
    (await answers(
      client.send(new UntagResourceCommand({ ResourceArn: taggedArn, TagKeys: ['team'] })),
    ))
  const tags =
    JSON.stringify(created) === JSON.stringify([{ Key: 'team', Value: 'core' }]) &&
    retagged &&
    JSON.stringify(await tagsOf(taggedArn)) === JSON.stringify([{ Key: 'app', Value: 'shop' }])

  const encrypted = name('sse')
  await createTable(client, encrypted, { SSESpecification: { Enabled: true } })
  const sseInDescribe = await client
    .send(new DescribeTableCommand({ TableName: encrypted }))
    .then((d) => d.Table?.SSEDescription !== undefined)
    .catch(() => false)

  const infrequent = name('class')
  await createTable(client, infrequent, { TableClass: 'STANDARD_INFREQUENT_ACCESS' })
  const tableClassInDescribe = await client
    .send(new DescribeTableCommand({ TableName: infrequent }))
    .then((d) => d.Table?.TableClassSummary?.TableClass === 'STANDARD_INFREQUENT_ACCESS')
    .catch(() => false)

  const protectedTable = name('protected')
  await createTable(client, protectedTable, { DeletionProtectionEnabled: true })
  const deletionProtection = await client
    .send(new DeleteTableCommand({ TableName: protectedTable }))
    .then(
      () => false,
      (e: unknown) => (e as Error).name === 'ValidationException',
    )
  if (deletionProtection) {
    await client.send(
      new UpdateTableCommand({ TableName: protectedTable, DeletionProtectionEnabled: false }),
    )
  }

  const limited = name('ondemand')
  await createTable(client, limited)
  const onDemandLimits =
    (await answers(
      client.send(
        new UpdateTableCommand({
          TableName: limited,
          OnDemandThroughput: { MaxReadRequestUnits: 100 },
        }),
      ),
    )) &&
    (await client
      .send(new DescribeTableCommand({ TableName: limited }))
      .then((d) => d.Table?.OnDemandThroughput?.MaxReadRequestUnits === 100)
      .catch(() => false))

  return {
    pitr,
    tags,
    backups,
    sseInDescribe,
    tableClassInDescribe,
    deletionProtection,
    ttl,
    gsiCreating,
    onDemandLimits,
  }
}

describe('test engines', () => {
  for (const engine of engines()) {
    testOn(engine, `${engine.name} does exactly what its declared capabilities say`, async () => {
      const suffix = randomUUID().slice(0, 8)
      const client = engineClient(engine)
      onTestFinished(() => client.destroy())
      onTestFinished(() => dropTables(engine.endpoint, suffix))
      // atomicWrites is declared from what was seen (a race is not reproducible on demand), not probed.
      const { atomicWrites: _seen, ...declared } = engine.supports
      expect(await measure(client, suffix)).toStrictEqual(declared)
    })
  }
})
