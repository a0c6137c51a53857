import { randomUUID } from 'node:crypto'
import {
  CreateTableCommand,
  GetItemCommand,
  ListTablesCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { migrationContext } from '../../../../src/engine/runner/migration-context.js'
import { DdbmError } from '../../../../src/errors.js'
import type { Event } from '../../../../src/events.js'
import { engineClient, engines, describeOn } from '../../../helpers/engines.js'
import { dropTables } from '../../../helpers/engines.js'

/** Items-<suffix>: PK (S) / SK (N), GSI byKind (kind / SK, ALL). */
async function createItemsTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'N' },
        { AttributeName: 'kind', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byKind',
          KeySchema: [
            { AttributeName: 'kind', KeyType: 'HASH' },
            { AttributeName: 'SK', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  )
}

/** The error a call threw (fails the test when it did not throw). */
async function thrown(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call()
  } catch (err) {
    return err
  }
  throw new Error('expected a throw')
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: the .ts migration context`, () => {
    const suffix = randomUUID().slice(0, 8)
    const physical = (logical: string) => `${logical}-${suffix}`
    const client = engineClient(engine)
    const calls: string[] = []
    client.middlewareStack.add(
      (next, context) => async (args) => {
        calls.push(String(context.commandName).replace(/Command$/, ''))
        return next(args)
      },
      { step: 'initialize', name: 'countCalls' },
    )
    const events: Event[] = []
    const ctx = migrationContext({
      client,
      env: 'ci',
      tableName: physical,
      emit: (e) => events.push(e),
    })
    const rawGet = async (PK: string, SK: number) =>
      (
        await client.send(
          new GetItemCommand({
            TableName: physical('Items'),
            Key: { PK: { S: PK }, SK: { N: String(SK) } },
            ConsistentRead: true,
          }),
        )
      ).Item

    beforeAll(() => createItemsTable(client, physical('Items')))
    afterAll(async () => {
      await dropTables(engine.endpoint, suffix)
      client.destroy()
    })

    test('the existing members: env, tableName, log, marshall / unmarshall, client', async () => {
      expect(ctx.env).toBe('ci')
      expect(ctx.tableName('Items')).toBe(`Items-${suffix}`)
      ctx.log('hello')
      expect(events).toStrictEqual([{ kind: 'log', level: 'info', message: 'hello' }])
      expect(ctx.marshall({ a: 1 })).toStrictEqual({ a: { N: '1' } })
      expect(ctx.unmarshall({ a: { S: 'x' } })).toStrictEqual({ a: 'x' })
      const listed = await ctx.client.send(new ListTablesCommand({}))
      expect(listed.TableNames).toContain(`Items-${suffix}`)
    })

    test('put and get: plain items on the physical table, undefined attributes left out', async () => {
      const item = {
        PK: 'pg',
        SK: 1,
        name: 'Ada',
        score: 12.5,
        tags: new Set(['a', 'b']),
        nested: { list: [1, 'two', null, true], empty: '' },
        gone: undefined,
      }
      expect(await ctx.put('Items', item)).toBe(true)
      expect(await rawGet('pg', 1)).toStrictEqual({
        PK: { S: 'pg' },
        SK: { N: '1' },
        name: { S: 'Ada' },
        score: { N: '12.5' },
        tags: { SS: ['a', 'b'] },
        nested: {
          M: {
            list: { L: [{ N: '1' }, { S: 'two' }, { NULL: true }, { BOOL: true }] },
            empty: { S: '' },
          },
        },
      })
      const { gone: _gone, ...stored } = item
      expect(await ctx.get('Items', { PK: 'pg', SK: 1 })).toStrictEqual(stored)
      expect(await ctx.get('Items', { PK: 'pg', SK: 2 }, { consistent: false })).toBeUndefined()
    })

    test('put with a condition: skip returns false and keeps the item; the default throws', async () => {
      const absent = { condition: 'attribute_not_exists(PK)' }
      expect(await ctx.put('Items', { PK: 'pc', SK: 1, v: 'first' }, absent)).toBe(true)
      expect(
        await ctx.put(
          'Items',
          { PK: 'pc', SK: 1, v: 'second' },
          { ...absent, ifConditionFails: 'skip' },
        ),
      ).toBe(false)
      const err = await thrown(() => ctx.put('Items', { PK: 'pc', SK: 1, v: 'third' }, absent))
      expect(err).toBeInstanceOf(DdbmError)
      const e = err as DdbmError
      expect([e.code, e.exitCode, e.message, e.hint, e.details]).toStrictEqual([
        'MIGRATION_FAILED',
        1,
        'ctx.put("Items"): the condition `attribute_not_exists(PK)` is false for {"PK":"pc","SK":1,"v":"third"}',
        "Pass `ifConditionFails: 'skip'` to ctx.put to leave such items unchanged, or fix the condition.",
        {
          table: 'Items',
          item: '{"PK":"pc","SK":1,"v":"third"}',
          condition: 'attribute_not_exists(PK)',
        },
      ])
      expect((e.cause as Error).name).toBe('ConditionalCheckFailedException')
      expect(await ctx.get('Items', { PK: 'pc', SK: 1 })).toStrictEqual({
        PK: 'pc',
        SK: 1,
        v: 'first',
      })
      // A condition with names and values given as plain JS.
      expect(
        await ctx.put(
          'Items',
          { PK: 'pc', SK: 1, v: 'fourth' },
          { condition: '#v = :v', names: { '#v': 'v' }, values: { ':v': 'first' } },
        ),
      ).toBe(true)
      expect(await ctx.get('Items', { PK: 'pc', SK: 1 })).toStrictEqual({
        PK: 'pc',
        SK: 1,
        v: 'fourth',
      })
    })

    test('update: set and remove, returnValues, a raw expression, conditions skipped or thrown', async () => {
      await ctx.put('Items', { PK: 'pu', SK: 1, a: 1, b: 'x', c: true })
      const set = await ctx.update(
        'Items',
        { PK: 'pu', SK: 1 },
        {
          set: { a: 2, 'odd name': 'y', skipped: undefined },
          remove: ['c'],
          returnValues: 'ALL_NEW',
        },
      )
      const after = { PK: 'pu', SK: 1, a: 2, b: 'x', 'odd name': 'y' }
      expect(set).toStrictEqual({ updated: true, attributes: after })
      expect(await ctx.get('Items', { PK: 'pu', SK: 1 })).toStrictEqual(after)

      const added = await ctx.update(
        'Items',
        { PK: 'pu', SK: 1 },
        {
          expression: 'ADD #a :one SET #b = :b',
          condition: '#a = :two',
          names: { '#a': 'a', '#b': 'b' },
          values: { ':one': 1, ':two': 2, ':b': 'z' },
          returnValues: 'UPDATED_NEW',
        },
      )
      expect(added).toStrictEqual({ updated: true, attributes: { a: 3, b: 'z' } })

      // The same update again: a = 3 now, so the condition fails.
      const again = {
        expression: 'ADD #a :one',
        condition: '#a = :two',
        names: { '#a': 'a' },
        values: { ':one': 1, ':two': 2 },
      }
      expect(
        await ctx.update('Items', { PK: 'pu', SK: 1 }, { ...again, ifConditionFails: 'skip' }),
      ).toStrictEqual({ updated: false, attributes: undefined })
      const err = await thrown(() => ctx.update('Items', { PK: 'pu', SK: 1 }, again))
      expect([(err as DdbmError).code, (err as DdbmError).message]).toStrictEqual([
        'MIGRATION_FAILED',
        'ctx.update("Items"): the condition `#a = :two` is false for {"PK":"pu","SK":1}',
      ])
      expect((await ctx.get('Items', { PK: 'pu', SK: 1 }))?.a).toBe(3)

      // A backfill never brings back an item deleted since it was read.
      const guarded = await ctx.update(
        'Items',
        { PK: 'pu', SK: 2 },
        { set: { flag: 'Y' }, condition: 'attribute_exists(PK)', ifConditionFails: 'skip' },
      )
      expect(guarded).toStrictEqual({ updated: false, attributes: undefined })
      expect(await rawGet('pu', 2)).toBeUndefined()
    })

    test('update refuses an empty change and expression mixed with set / remove', async () => {
      const before = calls.length
      const mixed = await thrown(() =>
        ctx.update('Items', { PK: 'pu', SK: 1 }, { expression: 'SET a = :a', set: { b: 1 } }),
      )
      const empty = await thrown(() =>
        ctx.update('Items', { PK: 'pu', SK: 1 }, { set: { a: undefined } }),
      )
      const clash = await thrown(() =>
        ctx.update('Items', { PK: 'pu', SK: 1 }, { set: { a: 1 }, names: { '#set0': 'x' } }),
      )
      expect(
        [mixed, empty, clash].map((e) => [(e as DdbmError).code, (e as DdbmError).message]),
      ).toStrictEqual([
        [
          'MIGRATION_INVALID',
          'ctx.update("Items"): `expression` cannot be combined with `set` or `remove`',
        ],
        ['MIGRATION_INVALID', 'ctx.update("Items"): there is nothing to set or remove'],
        ['MIGRATION_INVALID', 'ctx.update("Items"): the placeholder #set0 is generated by ddbm'],
      ])
      expect(calls.length).toBe(before)
    })

    test('delete: unconditional, and with a condition skipped or thrown', async () => {
      await ctx.put('Items', { PK: 'pd', SK: 1, keep: true })
      await ctx.put('Items', { PK: 'pd', SK: 2 })
      const onlyIfNotKept = { condition: 'attribute_not_exists(keep)' }
      expect(
        await ctx.delete(
          'Items',
          { PK: 'pd', SK: 1 },
          { ...onlyIfNotKept, ifConditionFails: 'skip' },
        ),
      ).toBe(false)
      const err = await thrown(() => ctx.delete('Items', { PK: 'pd', SK: 1 }, onlyIfNotKept))
      expect((err as DdbmError).code).toBe('MIGRATION_FAILED')
      expect(await ctx.get('Items', { PK: 'pd', SK: 1 })).toStrictEqual({
        PK: 'pd',
        SK: 1,
        keep: true,
      })
      expect(await ctx.delete('Items', { PK: 'pd', SK: 2 }, onlyIfNotKept)).toBe(true)
      expect(await ctx.delete('Items', { PK: 'pd', SK: 1 })).toBe(true)
      expect(await rawGet('pd', 1)).toBeUndefined()
      expect(await rawGet('pd', 2)).toBeUndefined()
    })

    test('putItems / deleteItems in batches; scan and query page through more than one page', async () => {
      const items = Array.from({ length: 60 }, (_, i) => ({
        PK: 'pp',
        SK: i,
        kind: i % 2 === 0 ? 'even' : 'odd',
        note: i % 10 === 0 ? undefined : `n${i}`,
      }))
      const batches = calls.length
      expect(await ctx.putItems('Items', items)).toBe(60)
      expect(calls.slice(batches).filter((c) => c === 'BatchWriteItem').length).toBe(3)
      const stored = items.map(({ note, ...rest }) =>
        note === undefined ? rest : { ...rest, note },
      )
      expect(await ctx.get('Items', { PK: 'pp', SK: 10 })).toStrictEqual(stored[10])

      const pages = (op: string, from: number) => calls.slice(from).filter((c) => c === op).length
      let from = calls.length
      const scanned = await collect(
        ctx.scan('Items', {
          filter: 'PK = :p',
          values: { ':p': 'pp' },
          pageSize: 7,
        }),
      )
      expect(scanned.sort((a, b) => Number(a.SK) - Number(b.SK))).toStrictEqual(stored)
      expect(pages('Scan', from)).toBeGreaterThanOrEqual(9)

      from = calls.length
      const queried = await collect(
        ctx.query('Items', { keyCondition: 'PK = :p', values: { ':p': 'pp' }, pageSize: 7 }),
      )
      expect(queried).toStrictEqual(stored)
      expect(pages('Query', from)).toBeGreaterThanOrEqual(9)

      const backwards = await collect(
        ctx.query('Items', {
          keyCondition: 'PK = :p AND SK >= :from',
          filter: 'attribute_exists(#n)',
          names: { '#n': 'note' },
          values: { ':p': 'pp', ':from': 45 },
          forward: false,
          pageSize: 4,
        }),
      )
      expect(backwards.map((i) => i.SK)).toStrictEqual([
        59, 58, 57, 56, 55, 54, 53, 52, 51, 49, 48, 47, 46, 45,
      ])

      from = calls.length
      const odd = await collect(
        ctx.query('Items', {
          index: 'byKind',
          keyCondition: 'kind = :k AND SK < :max',
          values: { ':k': 'odd', ':max': 20 },
          pageSize: 3,
        }),
      )
      expect(odd.map((i) => i.SK)).toStrictEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19])
      expect(pages('Query', from)).toBeGreaterThanOrEqual(4)
      const evenOnIndex = await collect(
        ctx.scan('Items', {
          index: 'byKind',
          filter: 'kind = :k',
          values: { ':k': 'even' },
          pageSize: 11,
        }),
      )
      expect(evenOnIndex.map((i) => Number(i.SK)).sort((a, b) => a - b)).toStrictEqual(
        stored.filter((i) => i.kind === 'even').map((i) => i.SK),
      )

      const deletes = calls.length
      expect(
        await ctx.deleteItems(
          'Items',
          items.map(({ PK, SK }) => ({ PK, SK })),
        ),
      ).toBe(60)
      expect(calls.slice(deletes).filter((c) => c === 'BatchWriteItem').length).toBe(3)
      expect(
        await collect(ctx.query('Items', { keyCondition: 'PK = :p', values: { ':p': 'pp' } })),
      ).toStrictEqual([])
      expect(await ctx.putItems('Items', [])).toBe(0)
    })
  })
}
