import {
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ListTagsOfResourceCommand,
  type TableDescription,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb'
import { afterAll, expect, test } from 'vitest'
import { isDdbmError, type DdbmError } from '../../../../src/errors.js'
import type { Event } from '../../../../src/events.js'
import {
  execute,
  mutatingCommands,
  type EngineDeps,
  type StepResult,
} from '../../../../src/engine/steps/execute.js'
import type { Operation } from '../../../../src/schema/operation.js'
import type { GlobalSecondaryIndex, TableSchema } from '../../../../src/schema/table-schema.js'
import { SCORE_INDEX, simpleTable } from '../../../fixtures/tables.js'
import { engineClient, engines, describeOn } from '../../../helpers/engines.js'

const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`

const candidates: TableSchema = {
  TableName: 'Candidates',
  AttributeDefinitions: [
    { AttributeName: 'id', AttributeType: 'S' },
    { AttributeName: 'status', AttributeType: 'S' },
    { AttributeName: 'score', AttributeType: 'N' },
    { AttributeName: 'programId', AttributeType: 'S' },
  ],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [
    SCORE_INDEX,
    {
      IndexName: 'ByProgram',
      KeySchema: [{ AttributeName: 'programId', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
  TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
  PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 },
  Tags: [{ Key: 'team', Value: 'core' }],
}

function gsi(name: string, attribute: string): Operation {
  const index: GlobalSecondaryIndex = {
    IndexName: name,
    KeySchema: [{ AttributeName: attribute, KeyType: 'HASH' }],
    Projection: { ProjectionType: 'ALL' },
  }
  return {
    op: 'createGsi',
    table: 'Things',
    index,
    attributeDefinitions: [{ AttributeName: attribute, AttributeType: 'S' }],
  }
}

const statuses = (results: StepResult[]) => results.map((r) => r.status)

/** moto cannot enable a stream on a table that ever had one (see the stream test). */
const reenablesStream = (engine: string) => engine !== 'moto'

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: execute`, () => {
    const created = new Set<string>()
    const clients: DynamoDBClient[] = []
    let testNo = 0

    /** A client that records every command name, deps with names unique to this test, and the events. */
    function harness() {
      const suffix = `${runId}-${++testNo}`
      const client = engineClient(engine)
      clients.push(client)
      const commands: string[] = []
      client.middlewareStack.add(
        (next, ctx) => async (args) => {
          commands.push(ctx.commandName ?? '?')
          return next(args)
        },
        { step: 'initialize' },
      )
      const events: Event[] = []
      const tableName = (t: string) => {
        const name = `${t}-${suffix}`
        created.add(name)
        return name
      }
      const deps: EngineDeps = {
        client,
        emit: (e) => events.push(e),
        tableName,
        // Backoff is unit-tested; capping it here only keeps the suite fast (moto's refusals back off).
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 200))),
        waitTimeoutMs: 60_000,
      }
      const mutating = () => commands.filter((c) => mutatingCommands.has(c))
      const reset = () => {
        commands.length = 0
        events.length = 0
      }
      const describeTable = async (logical: string): Promise<TableDescription> =>
        (await client.send(new DescribeTableCommand({ TableName: tableName(logical) }))).Table!
      return { client, deps, events, commands, mutating, reset, describeTable, tableName }
    }

    afterAll(async () => {
      const client = engineClient(engine)
      for (const name of created) {
        await client
          .send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false }))
          .catch(() => undefined)
        await client.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined)
      }
      for (const c of [client, ...clients]) c.destroy()
    })

    test('creates a table with 2 GSIs, TTL, PITR and tags; unsupported parts are said so', async () => {
      const h = harness()
      const ops: Operation[] = [{ op: 'createTable', table: 'Candidates', definition: candidates }]
      const [result] = await execute(ops, h.deps)

      const table = await h.describeTable('Candidates')
      expect(table.TableStatus).toBe('ACTIVE')
      expect(
        table.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.IndexStatus]).sort(),
      ).toStrictEqual([
        ['ByProgram', 'ACTIVE'],
        ['ScoreIndex', 'ACTIVE'],
      ])
      const ttl = await h.client.send(
        new DescribeTimeToLiveCommand({ TableName: h.tableName('Candidates') }),
      )
      expect(ttl.TimeToLiveDescription).toMatchObject({
        TimeToLiveStatus: 'ENABLED',
        AttributeName: 'expiresAt',
      })

      const parts = Object.fromEntries(result!.parts!.map((p) => [p.part, p.status]))
      expect(parts).toStrictEqual({
        table: 'done',
        ttl: 'done',
        pitr: engine.supports.pitr ? 'done' : 'unsupported',
        tags: engine.supports.tags ? 'done' : 'unsupported',
      })
      // The table was created: the step is done, whatever the endpoint lacks (listed apart).
      expect(result!.status).toBe('done')
      if (engine.supports.pitr) {
        const pitr = await h.client.send(
          new DescribeContinuousBackupsCommand({ TableName: h.tableName('Candidates') }),
        )
        expect(pitr.ContinuousBackupsDescription?.PointInTimeRecoveryDescription).toMatchObject({
          PointInTimeRecoveryStatus: 'ENABLED',
          RecoveryPeriodInDays: 7,
        })
      } else {
        expect(result!.parts).toContainEqual({
          part: 'pitr',
          status: 'unsupported',
          detail: expect.stringMatching(/^PITR: the endpoint does not implement/),
        })
      }
      if (engine.supports.tags) {
        const tags = await h.client.send(
          new ListTagsOfResourceCommand({ ResourceArn: table.TableArn }),
        )
        expect(tags.Tags).toStrictEqual([{ Key: 'team', Value: 'core' }])
      } else {
        expect(result!.parts).toContainEqual({
          part: 'tags',
          status: 'unsupported',
          detail: expect.stringMatching(/Tagging is not currently supported/),
        })
      }
      const last = h.events.filter((e) => e.kind === 'step').at(-1)
      const lacking = [
        ...(engine.supports.pitr ? [] : ['pitr']),
        ...(engine.supports.tags ? [] : ['tags']),
      ]
      expect(last).toMatchObject({ kind: 'step', op: 'createTable', status: 'done' })
      expect(last?.kind === 'step' && last.detail).toMatch(/^created, TTL enabled on expiresAt/)
      expect(last?.kind === 'step' && last.unsupported).toStrictEqual(
        lacking.length > 0 ? lacking : undefined,
      )

      // The same operation again: nothing to send, nothing reported as done.
      h.reset()
      const [again] = await execute(ops, h.deps)
      expect(h.mutating()).toStrictEqual([])
      expect(again!.parts!.map((p) => [p.part, p.status])).toStrictEqual([
        ['table', 'skipped'],
        ['ttl', 'skipped'],
        ['pitr', engine.supports.pitr ? 'skipped' : 'unsupported'],
        ['tags', engine.supports.tags ? 'skipped' : 'unsupported'],
      ])
    })

    test('a re-run of every kind of operation sends no mutating call', async () => {
      const h = harness()
      const t = 'Things'
      const ops: Operation[] = [
        { op: 'createTable', table: t, definition: simpleTable(t) },
        gsi('ByColour', 'colour'),
        { op: 'updateTtl', table: t, ttl: { AttributeName: 'exp', Enabled: true } },
        { op: 'updatePitr', table: t, pitr: { PointInTimeRecoveryEnabled: true } },
        { op: 'updateStream', table: t, stream: { StreamViewType: 'NEW_IMAGE' } },
        { op: 'updateDeletionProtection', table: t, enabled: false },
        { op: 'updateBilling', table: t, billingMode: 'PAY_PER_REQUEST' },
        { op: 'tag', table: t, tags: [{ Key: 'env', Value: 'test' }] },
        { op: 'untag', table: t, keys: ['nothing'] },
        { op: 'deleteGsi', table: t, indexName: 'NoSuchIndex' },
      ]
      const unsupported = (kind: Operation['op'], supported: boolean) => (s: StepResult) =>
        s.op === kind && !supported
      const isUnsupported = (s: StepResult) =>
        unsupported('updatePitr', engine.supports.pitr)(s) ||
        unsupported('tag', engine.supports.tags)(s) ||
        unsupported('untag', engine.supports.tags)(s)

      const first = await execute(ops, h.deps)
      expect(statuses(first)).toStrictEqual(
        first.map((s, i) =>
          isUnsupported(s)
            ? 'unsupported'
            : [5, 6, 8, 9].includes(i) // already in place on a new table
              ? 'skipped'
              : 'done',
        ),
      )
      for (const s of first.filter(isUnsupported)) {
        expect(h.events).toContainEqual(
          expect.objectContaining({ kind: 'step', op: s.op, status: 'unsupported' }),
        )
      }

      h.reset()
      const second = await execute(ops, h.deps)
      expect(h.mutating()).toStrictEqual([])
      expect(statuses(second)).toStrictEqual(
        second.map((s) => (isUnsupported(s) ? 'unsupported' : 'skipped')),
      )
      expect(h.commands.length).toBeGreaterThan(0)
    })

    test('adds 3 GSIs in 3 steps, each ACTIVE before the next; deletes one', async () => {
      const h = harness()
      await execute(
        [{ op: 'createTable', table: 'Things', definition: simpleTable('Things') }],
        h.deps,
      )
      h.reset()
      const results = await execute(
        [gsi('ByAlpha', 'alpha'), gsi('ByBeta', 'beta'), gsi('ByGamma', 'gamma')],
        h.deps,
      )
      expect(statuses(results)).toStrictEqual(['done', 'done', 'done'])
      expect(h.mutating()).toStrictEqual([
        'UpdateTableCommand',
        'UpdateTableCommand',
        'UpdateTableCommand',
      ])
      const table = await h.describeTable('Things')
      expect(
        table.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.IndexStatus]).sort(),
      ).toStrictEqual([
        ['ByAlpha', 'ACTIVE'],
        ['ByBeta', 'ACTIVE'],
        ['ByGamma', 'ACTIVE'],
      ])
      expect(table.AttributeDefinitions?.map((d) => d.AttributeName).sort()).toStrictEqual([
        'alpha',
        'beta',
        'gamma',
        'pk',
      ])
      // Each UpdateTable went out only once the previous index was ACTIVE: the step waited on the index.
      const sequence = h.events
        .filter((e) => e.kind === 'step' && (e.status === 'sent' || e.status === 'done'))
        .map((e) => (e.kind === 'step' ? e.status : ''))
      expect(sequence).toStrictEqual(['sent', 'done', 'sent', 'done', 'sent', 'done'])
      if (engine.supports.gsiCreating) {
        expect(h.events).toContainEqual(
          expect.objectContaining({
            status: 'waiting',
            detail: expect.stringMatching(/index ByAlpha CREATING/),
          }),
        )
      }

      h.reset()
      const deleted = await execute(
        [
          { op: 'deleteGsi', table: 'Things', indexName: 'ByBeta' },
          { op: 'deleteGsi', table: 'Things', indexName: 'ByBeta' },
        ],
        h.deps,
      )
      expect(statuses(deleted)).toStrictEqual(['done', 'skipped'])
      const after = await h.describeTable('Things')
      expect(after.GlobalSecondaryIndexes?.map((g) => g.IndexName).sort()).toStrictEqual([
        'ByAlpha',
        'ByGamma',
      ])
      expect(after.GlobalSecondaryIndexes?.every((g) => g.IndexStatus === 'ACTIVE')).toBe(true)
    })

    test('switches billing to PROVISIONED with GSI throughput and back', async () => {
      const h = harness()
      const t = 'Things'
      await execute(
        [{ op: 'createTable', table: t, definition: simpleTable(t) }, gsi('ByAlpha', 'alpha')],
        h.deps,
      )
      const toProvisioned: Operation = {
        op: 'updateBilling',
        table: t,
        billingMode: 'PROVISIONED',
        provisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 2 },
        indexes: [
          {
            IndexName: 'ByAlpha',
            ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 1 },
          },
        ],
      }
      expect(statuses(await execute([toProvisioned, toProvisioned], h.deps))).toStrictEqual([
        'done',
        'skipped',
      ])
      const provisioned = await h.describeTable(t)
      expect(provisioned.BillingModeSummary?.BillingMode ?? 'PROVISIONED').toBe('PROVISIONED')
      expect(provisioned.ProvisionedThroughput).toMatchObject({
        ReadCapacityUnits: 3,
        WriteCapacityUnits: 2,
      })
      expect(provisioned.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput).toMatchObject({
        ReadCapacityUnits: 2,
        WriteCapacityUnits: 1,
      })

      const back: Operation = { op: 'updateBilling', table: t, billingMode: 'PAY_PER_REQUEST' }
      expect(statuses(await execute([back, back], h.deps))).toStrictEqual(['done', 'skipped'])
      expect((await h.describeTable(t)).BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST')
    })

    test('enables a stream, changes its view type, disables it', async () => {
      const h = harness()
      const t = 'Things'
      await execute([{ op: 'createTable', table: t, definition: simpleTable(t) }], h.deps)
      const stream = (view: 'NEW_IMAGE' | 'KEYS_ONLY' | null): Operation => ({
        op: 'updateStream',
        table: t,
        stream: view === null ? null : { StreamViewType: view },
      })
      expect(
        statuses(await execute([stream('NEW_IMAGE'), stream('NEW_IMAGE')], h.deps)),
      ).toStrictEqual(['done', 'skipped'])
      expect((await h.describeTable(t)).StreamSpecification).toStrictEqual({
        StreamEnabled: true,
        StreamViewType: 'NEW_IMAGE',
      })
      h.reset()
      const change = execute([stream('KEYS_ONLY')], h.deps)
      if (reenablesStream(engine.name)) {
        expect(statuses(await change)).toStrictEqual(['done'])
        expect(h.mutating()).toStrictEqual(['UpdateTableCommand', 'UpdateTableCommand'])
        expect((await h.describeTable(t)).StreamSpecification?.StreamViewType).toBe('KEYS_ONLY')
      } else {
        // moto keeps a table's stream label forever and refuses to enable a stream again once disabled
        // (measured: ResourceInUseException "Cannot enable stream"); AWS and DynamoDB Local allow it.
        await expect(change).rejects.toThrow(/failed: Cannot enable stream$/)
      }
      expect(statuses(await execute([stream(null), stream(null)], h.deps))).toStrictEqual([
        reenablesStream(engine.name) ? 'done' : 'skipped',
        'skipped',
      ])
      expect((await h.describeTable(t)).StreamSpecification?.StreamEnabled ?? false).toBe(false)
    })

    test('deletion protection makes deleteTable fail with MIGRATION_FAILED naming it', async () => {
      const h = harness()
      const t = 'Things'
      await execute(
        [
          { op: 'createTable', table: t, definition: simpleTable(t) },
          { op: 'updateDeletionProtection', table: t, enabled: true },
        ],
        h.deps,
      )
      expect((await h.describeTable(t)).DeletionProtectionEnabled).toBe(true)
      const err = (await execute([{ op: 'deleteTable', table: t }], h.deps).catch(
        (e: unknown) => e,
      )) as DdbmError
      expect(isDdbmError(err, 'MIGRATION_FAILED')).toBe(true)
      expect(err.message).toMatch(
        new RegExp(`^step 1/1 \\(delete table ${h.tableName(t)}\\) failed: .*protect`, 'i'),
      )
      expect(statuses(err.details!.results as StepResult[])).toStrictEqual(['failed'])
      expect((err.cause as Error).name).toBe('ValidationException')
      expect(h.events.at(-1)).toMatchObject({ kind: 'step', op: 'deleteTable', status: 'failed' })

      const results = await execute(
        [
          { op: 'updateDeletionProtection', table: t, enabled: false },
          { op: 'deleteTable', table: t },
          { op: 'deleteTable', table: t },
        ],
        h.deps,
      )
      expect(statuses(results)).toStrictEqual(['done', 'done', 'skipped'])
    })

    test('a failing step stops the run: later steps are not-run', async () => {
      const h = harness()
      const t = 'Things'
      const ops: Operation[] = [
        { op: 'createTable', table: t, definition: simpleTable(t) },
        { ...gsi('ByAlpha', 'alpha'), table: 'Missing' },
        { op: 'updateTtl', table: t, ttl: { AttributeName: 'exp', Enabled: true } },
      ]
      const err = (await execute(ops, h.deps).catch((e: unknown) => e)) as DdbmError
      expect(isDdbmError(err, 'MIGRATION_FAILED')).toBe(true)
      expect(err.message).toBe(
        `step 2/3 (create GSI ByAlpha on ${h.tableName('Missing')} (alpha HASH; ALL)) failed: table ${h.tableName('Missing')} does not exist`,
      )
      const results = err.details!.results as StepResult[]
      expect(statuses(results)).toStrictEqual(['done', 'failed', 'not-run'])
      expect(results[2]).toStrictEqual({
        index: 2,
        op: 'updateTtl',
        table: h.tableName(t),
        status: 'not-run',
        ms: 0,
      })
    })

    test('createTable over a table with other keys is drift, not convergence', async () => {
      const h = harness()
      const t = 'Things'
      await execute([{ op: 'createTable', table: t, definition: simpleTable(t) }], h.deps)
      const other: TableSchema = {
        ...simpleTable(t),
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }
      h.reset()
      const err = (await execute(
        [{ op: 'createTable', table: t, definition: other }],
        h.deps,
      ).catch((e: unknown) => e)) as DdbmError
      expect(err.message).toContain(
        `failed: table ${h.tableName(t)} already exists with key pk:S HASH, not id:N HASH: that is drift`,
      )
      expect(h.mutating()).toStrictEqual([])
    })

    test('SSE and table class the endpoint does not report are unsupported, never done', async () => {
      const h = harness()
      const t = 'Things'
      const definition: TableSchema = {
        ...simpleTable(t),
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        TableClass: 'STANDARD_INFREQUENT_ACCESS',
      }
      const [result] = await execute([{ op: 'createTable', table: t, definition }], h.deps)
      const parts = Object.fromEntries(result!.parts!.map((p) => [p.part, p.status]))
      expect(parts.sse).toBe(engine.supports.sseInDescribe ? undefined : 'unsupported')
      expect(parts.tableClass).toBe(
        engine.supports.tableClassInDescribe ? undefined : 'unsupported',
      )

      const [plainResult] = await execute(
        [{ op: 'createTable', table: 'Other', definition: simpleTable('Other') }],
        h.deps,
      )
      expect(plainResult!.status).toBe('done')
      const [cls] = await execute(
        [{ op: 'updateTableClass', table: 'Other', tableClass: 'STANDARD_INFREQUENT_ACCESS' }],
        h.deps,
      )
      expect(cls!.status).toBe(engine.supports.tableClassInDescribe ? 'done' : 'unsupported')
    })
  })
}
