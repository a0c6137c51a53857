import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect } from 'vitest'
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import {
  ApplicationAutoScalingClient,
  DeregisterScalableTargetCommand,
  RegisterScalableTargetCommand,
  type ScalableDimension,
} from '@aws-sdk/client-application-auto-scaling'
import { readCapacity } from '../../../../src/engine/backfill/capacity-read.js'
import { DdbmError } from '../../../../src/errors.js'
import {
  describeOn,
  dropTables,
  engineClient,
  engines,
  testOn,
  type Engine,
} from '../../../helpers/engines.js'

const KEYS = {
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' as const },
    { AttributeName: 'status', AttributeType: 'S' as const },
  ],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
}

async function createProvisioned(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      ...KEYS,
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'ByStatus',
          KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
          ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 },
        },
      ],
    }),
  )
}

/** Scalable targets on the engine's Application Auto Scaling (moto), deregistered by `cleanup`. */
function scalableTargets(engine: Engine) {
  const client = new ApplicationAutoScalingClient({
    region: 'us-east-1',
    endpoint: engine.endpoint,
    credentials: { accessKeyId: 'ddbmlocal', secretAccessKey: 'ddbmlocal' },
  })
  const registered: { ResourceId: string; ScalableDimension: ScalableDimension }[] = []
  return {
    async register(ResourceId: string, ScalableDimension: ScalableDimension, max: number) {
      await client.send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'dynamodb',
          ResourceId,
          ScalableDimension,
          MinCapacity: 1,
          MaxCapacity: max,
        }),
      )
      registered.push({ ResourceId, ScalableDimension })
    },
    async cleanup() {
      for (const target of registered) {
        await client.send(
          new DeregisterScalableTargetCommand({ ServiceNamespace: 'dynamodb', ...target }),
        )
      }
      client.destroy()
    },
  }
}

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: readCapacity`, () => {
    const suffix = randomUUID().slice(0, 8)
    const client = engineClient(engine)
    const plain = `CapPlain-${suffix}`
    const scaled = `CapScaled-${suffix}`
    const onDemand = `CapOnDemand-${suffix}`
    const targets = scalableTargets(engine)

    beforeAll(async () => {
      await createProvisioned(client, plain)
      await createProvisioned(client, scaled)
      await client.send(
        new CreateTableCommand({
          TableName: onDemand,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: KEYS.KeySchema,
          BillingMode: 'PAY_PER_REQUEST',
        }),
      )
    })
    afterAll(async () => {
      await targets.cleanup()
      await dropTables(engine.endpoint, suffix)
      client.destroy()
    })

    testOn(engine, 'an on-demand table: the 40,000 default (no maximum set)', async () => {
      expect(await readCapacity(client, onDemand)).toStrictEqual({
        read: 40_000,
        write: 40_000,
        source: 'on-demand-default',
        sources: { read: 'on-demand-default', write: 'on-demand-default' },
        detail:
          `reads: 40000 RRU on-demand default table quota for table ${onDemand} (no maximum set); ` +
          `writes: 40000 WRU on-demand default table quota for table ${onDemand} (no maximum set)`,
      })
    })

    testOn(engine, 'autoscaling: false reads the provisioned units only', async () => {
      expect(await readCapacity(client, plain, { autoscaling: false })).toStrictEqual({
        read: 10,
        write: 5,
        source: 'provisioned',
        sources: { read: 'provisioned', write: 'provisioned' },
        detail: `reads: 10 RCU provisioned on table ${plain}; writes: 5 WCU provisioned on table ${plain}`,
      })
    })

    testOn(engine, 'a table that does not exist is a USAGE error', async () => {
      const err = await readCapacity(client, `Missing-${suffix}`).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(DdbmError)
      expect([(err as DdbmError).code, (err as DdbmError).message]).toStrictEqual([
        'USAGE',
        `Table Missing-${suffix} does not exist`,
      ])
    })

    if (engine.name === 'moto') {
      testOn(engine, 'provisioned without scalable targets: the provisioned units', async () => {
        expect(await readCapacity(client, plain, { index: 'ByStatus' })).toStrictEqual({
          read: 7,
          write: 5,
          source: 'provisioned',
          sources: { read: 'provisioned', write: 'provisioned' },
          detail: `reads: 7 RCU provisioned on index ByStatus of ${plain}; writes: 5 WCU provisioned on table ${plain}`,
        })
      })

      testOn(
        engine,
        'autoscaling maxima win: the table, or the scanned index, and the table writes',
        async () => {
          await targets.register(`table/${scaled}`, 'dynamodb:table:ReadCapacityUnits', 400)
          await targets.register(`table/${scaled}`, 'dynamodb:table:WriteCapacityUnits', 200)
          await targets.register(
            `table/${scaled}/index/ByStatus`,
            'dynamodb:index:ReadCapacityUnits',
            70,
          )
          // Another table's target is not taken for this one.
          await targets.register(`table/${plain}`, 'dynamodb:table:WriteCapacityUnits', 999)
          expect(await readCapacity(client, scaled)).toStrictEqual({
            read: 400,
            write: 200,
            source: 'autoscaling',
            sources: { read: 'autoscaling', write: 'autoscaling' },
            detail:
              `reads: 400 RCU autoscaling maximum of table ${scaled}, provisioned now 10; ` +
              `writes: 200 WCU autoscaling maximum of table ${scaled}, provisioned now 5`,
          })
          expect(await readCapacity(client, scaled, { index: 'ByStatus' })).toMatchObject({
            read: 70,
            write: 200,
            source: 'autoscaling',
          })
          expect(await readCapacity(client, plain)).toMatchObject({
            read: 10,
            write: 999,
            sources: { read: 'provisioned', write: 'autoscaling' },
          })
        },
      )
    } else {
      testOn(engine, 'no Application Auto Scaling: the provisioned units, and why', async () => {
        const capacity = await readCapacity(client, plain, { index: 'ByStatus' })
        expect([capacity.read, capacity.write, capacity.source]).toStrictEqual([
          7,
          5,
          'provisioned',
        ])
        expect(capacity.detail).toMatch(
          new RegExp(
            `^reads: 7 RCU provisioned on index ByStatus of ${plain}; writes: 5 WCU provisioned on table ${plain} \\(autoscaling could not be read: InvalidAction: .+\\)$`,
          ),
        )
      })
    }
  })
}
