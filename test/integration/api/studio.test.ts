import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb'
import { randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { migrateUp, seed, startStudio, tableNames, type Studio } from '../../../src/api/index.js'
import { waitForIndexGone } from '../../../src/dynamo/wait.js'
import type { TableSchema } from '../../../src/schema/table-schema.js'
import { describeOn, dropTables, engineClient, engines } from '../../helpers/engines.js'

const ORDERS: TableSchema = {
  TableName: 'Orders',
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' },
    { AttributeName: 'SK', AttributeType: 'S' },
    { AttributeName: 'status', AttributeType: 'S' },
    { AttributeName: 'total', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' },
    { AttributeName: 'SK', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byStatus',
      KeySchema: [
        { AttributeName: 'status', KeyType: 'HASH' },
        { AttributeName: 'total', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
}

const CUSTOMERS: TableSchema = {
  TableName: 'Customers',
  AttributeDefinitions: [
    { AttributeName: 'id', AttributeType: 'S' },
    { AttributeName: 'email', AttributeType: 'S' },
  ],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byEmail',
      KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
}

/** Twelve orders of customer c1 (SK order#01..order#12, total 10..120), open when odd; two of c2. */
const ITEMS = [
  ...Array.from({ length: 12 }, (_, i) => ({
    PK: 'c1',
    SK: `order#${String(i + 1).padStart(2, '0')}`,
    status: i % 2 === 0 ? 'open' : 'closed',
    total: (i + 1) * 10,
    ...(i === 0 ? { note: 'first, "quoted"' } : {}),
  })),
  { PK: 'c2', SK: 'order#01', status: 'open', total: 5, tags: ['a', 'b'] },
  { PK: 'c2', SK: 'invoice#01', status: 'paid', total: 7 },
]

/** An HTTP answer: status, headers and body text (JSON parsed into `json` when it is JSON). */
type Answer = { status: number; headers: Record<string, unknown>; text: string; json: unknown }

/**
 * One request to the studio with node:http (fetch cannot set Host). Defaults: the studio's Host, its
 * token, and for methods with a body its own Origin.
 */
function call(
  studio: Studio,
  method: string,
  pathname: string,
  opts: { body?: unknown; headers?: Record<string, string | undefined> } = {},
): Promise<Answer> {
  const own = `127.0.0.1:${studio.port}`
  const headers: Record<string, string> = {}
  const wanted: Record<string, string | undefined> = {
    host: own,
    'x-ddbm-token': studio.token,
    ...(method === 'GET' ? {} : { origin: `http://${own}` }),
    ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...opts.headers,
  }
  for (const [k, v] of Object.entries(wanted)) if (v !== undefined) headers[k] = v
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body)
  // node:http frames a DELETE's body only with a length (browsers always send one).
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload))
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: studio.port, method, path: pathname, headers },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let json: unknown
          try {
            json = JSON.parse(text)
          } catch {
            json = undefined
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json })
        })
      },
    )
    req.on('error', reject)
    if (payload !== undefined) req.write(payload)
    req.end()
  })
}

const items = (studio: Studio, table: string, body: unknown) =>
  call(studio, 'POST', `/api/tables/${table}/items`, { body })

/** The `SK`s (or another attribute) of a page's items. */
const field = (answer: Answer, name = 'SK') =>
  (answer.json as { items: Record<string, unknown>[] }).items.map((i) => i[name])

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: ddbm studio's HTTP API`, () => {
    const suffix = randomUUID().slice(0, 8)
    let cwd = ''
    let studio: Studio
    let opts: { cwd: string; endpoint: string; processEnv: Record<string, string> }

    beforeAll(async () => {
      cwd = await mkdtemp(path.join(tmpdir(), 'ddbm-studio-'))
      const files: Record<string, unknown> = {
        'ddbm.config.json': {
          version: 1,
          defaultEnv: 't',
          environments: { t: { tableNameTemplate: `{table}-${suffix}` } },
        },
        'migrations/0001_tables.json': {
          version: 1,
          up: [ORDERS, CUSTOMERS].map((t) => ({
            op: 'createTable',
            table: t.TableName,
            definition: t,
          })),
          down: [ORDERS, CUSTOMERS].map((t) => ({ op: 'deleteTable', table: t.TableName })),
        },
        'schemas/Orders.json': ORDERS,
        'schemas/Customers.json': CUSTOMERS,
      }
      for (const [name, content] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(cwd, name)), { recursive: true })
        await writeFile(path.join(cwd, name), JSON.stringify(content, null, 2))
      }
      opts = { cwd, endpoint: engine.endpoint, processEnv: {} }
      await migrateUp(opts)
      const client = engineClient(engine)
      try {
        await client.send(
          new BatchWriteItemCommand({
            RequestItems: {
              [`Orders-${suffix}`]: ITEMS.map((item) => ({
                PutRequest: {
                  Item: Object.fromEntries(
                    Object.entries(item).map(([k, v]) => [
                      k,
                      typeof v === 'number'
                        ? { N: String(v) }
                        : Array.isArray(v)
                          ? { L: v.map((s) => ({ S: s })) }
                          : { S: v },
                    ]),
                  ),
                },
              })),
            },
          }),
        )
      } finally {
        client.destroy()
      }
      studio = await startStudio({ ...opts, port: 0 })
    }, 120_000)

    afterAll(async () => {
      await studio?.close()
      await dropTables(engine.endpoint, suffix)
      await rm(cwd, { recursive: true, force: true })
    })

    test('the overview lists the tables with item counts and verify at a glance, and no credentials', async () => {
      const answer = await call(studio, 'GET', '/api/overview')
      expect(answer.status).toBe(200)
      // Neither test engine reports the table class (docs/engines.md): unsupported, never ok.
      expect(answer.json).toStrictEqual({
        env: 't',
        endpoint: engine.endpoint,
        region: 'us-east-1',
        embedded: false,
        protected: false,
        storedEnvironment: { name: 't', protected: false },
        metaTable: (await tableNames(opts)).metaTable,
        allowWrites: false,
        tables: [
          {
            table: 'Customers',
            physical: `Customers-${suffix}`,
            status: 'ACTIVE',
            itemCount: 0,
            verify: 'unsupported',
          },
          {
            table: 'Orders',
            physical: `Orders-${suffix}`,
            status: 'ACTIVE',
            itemCount: ITEMS.length,
            verify: 'unsupported',
          },
        ],
      })
      expect(answer.text).not.toMatch(/secret|accessKey|credential/i)
    })

    test('a migration applied while the studio runs appears in /api/migrations with its steps', async () => {
      const before = await call(studio, 'GET', '/api/migrations')
      const rows = (before.json as { rows: { name: string; state: string }[] }).rows
      expect(rows.map((r) => [r.name, r.state])).toStrictEqual([['0001_tables', 'applied']])
      const table: TableSchema = {
        TableName: 'Audit',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }
      await writeFile(
        path.join(cwd, 'migrations/0002_audit.json'),
        JSON.stringify({
          version: 1,
          up: [{ op: 'createTable', table: 'Audit', definition: table }],
          down: [{ op: 'deleteTable', table: 'Audit' }],
        }),
      )
      await writeFile(path.join(cwd, 'schemas/Audit.json'), JSON.stringify(table))
      const pending = (await call(studio, 'GET', '/api/migrations')).json as {
        rows: { name: string; state: string }[]
        steps: Record<string, string[]>
      }
      expect(pending.rows.map((r) => [r.name, r.state])).toStrictEqual([
        ['0001_tables', 'applied'],
        ['0002_audit', 'pending'],
      ])
      const dry = await migrateUp({ ...opts, dryRun: true })
      expect(pending.steps['0002_audit']).toStrictEqual(dry.migrations[0]?.steps.map((s) => s.text))
      await migrateUp(opts)
      const after = (await call(studio, 'GET', '/api/migrations')).json as {
        rows: { name: string; state: string; appliedAt?: string; appliedBy?: string }[]
        problems: unknown[]
      }
      expect(after.rows.map((r) => [r.name, r.state])).toStrictEqual([
        ['0001_tables', 'applied'],
        ['0002_audit', 'applied'],
      ])
      expect(typeof after.rows[1]?.appliedAt).toBe('string')
      expect(after.problems).toStrictEqual([])
    })

    test('a seed run records its progress: /api/migrations shows it per table', async () => {
      await mkdir(path.join(cwd, 'seeds'), { recursive: true })
      await writeFile(
        path.join(cwd, 'seeds/customers.json'),
        JSON.stringify({
          version: 1,
          table: 'Customers',
          items: [
            { id: 'c1', email: 'a@example.com' },
            { id: 'c2', email: 'b@example.com' },
          ],
        }),
      )
      const seeded = await seed({ ...opts, table: 'Customers' })
      expect(seeded.tables.map((t) => [t.table, t.written])).toStrictEqual([['Customers', 2]])
      const { seeding } = (await call(studio, 'GET', '/api/migrations')).json as {
        seeding: { shard: string; status: string; tables: unknown[] }[]
      }
      expect(seeding.map(({ shard, status, tables }) => ({ shard, status, tables }))).toStrictEqual(
        [
          {
            shard: '1/1',
            status: 'done',
            tables: [{ table: `Customers-${suffix}`, done: 2, total: 2 }],
          },
        ],
      )
      await rm(path.join(cwd, 'seeds'), { recursive: true })
      const client = engineClient(engine)
      try {
        const keys = ['c1', 'c2'].map((id) => ({ DeleteRequest: { Key: { id: { S: id } } } }))
        await client.send(
          new BatchWriteItemCommand({ RequestItems: { [`Customers-${suffix}`]: keys } }),
        )
      } finally {
        client.destroy()
      }
    })

    test('drift made behind ddbm’s back shows in /api/tables/:t with expected and actual', async () => {
      const clean = (await call(studio, 'GET', '/api/tables/Customers')).json as {
        description: { gsis: { name: string; projection: string }[]; keys: unknown[] }
        checks: { check: string; status: string }[]
      }
      expect(clean.description.keys).toStrictEqual([{ name: 'id', type: 'S', role: 'HASH' }])
      expect(clean.description.gsis.map((g) => [g.name, g.projection])).toStrictEqual([
        ['byEmail', 'KEYS_ONLY'],
      ])
      expect(clean.checks.find((c) => c.check === 'gsi:byEmail')?.status).toBe('ok')
      const client = engineClient(engine)
      try {
        await client.send(
          new UpdateTableCommand({
            TableName: `Customers-${suffix}`,
            GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byEmail' } }],
          }),
        )
        await waitForIndexGone(client, `Customers-${suffix}`, 'byEmail', { timeoutMs: 30_000 })
      } finally {
        client.destroy()
      }
      const answer = await call(studio, 'GET', '/api/tables/Customers')
      const drifted = answer.json as {
        description: { gsis: unknown[] }
        checks: { check: string; status: string; expected?: unknown; actual?: unknown }[]
      }
      expect(drifted.description.gsis).toStrictEqual([])
      const check = drifted.checks.find((c) => c.check === 'gsi:byEmail')
      expect(check).toStrictEqual({
        table: 'Customers',
        check: 'gsi:byEmail',
        status: 'drift',
        expected: 'email:S HASH; KEYS_ONLY',
        actual: 'missing',
      })
      const overview = (await call(studio, 'GET', '/api/overview')).json as {
        tables: { table: string; verify: string }[]
      }
      expect(overview.tables.find((t) => t.table === 'Customers')?.verify).toBe('drift')
      expect((await call(studio, 'GET', '/api/tables/Nope')).status).toBe(404)
    })

    test('query on a GSI, every key operator, filters, and pagination with a cursor', async () => {
      const open = await items(studio, 'Orders', {
        mode: 'query',
        index: 'byStatus',
        key: { partition: { value: 'open' }, sort: { op: 'between', value: 20, value2: 90 } },
      })
      expect(open.status).toBe(200)
      expect(field(open, 'total')).toStrictEqual([30, 50, 70, 90])
      const sk = async (op: string, value: string, value2?: string) =>
        field(
          await items(studio, 'Orders', {
            mode: 'query',
            key: {
              partition: { value: 'c1' },
              sort: { op, value, ...(value2 === undefined ? {} : { value2 }) },
            },
          }),
        )
      expect(await sk('=', 'order#03')).toStrictEqual(['order#03'])
      expect(await sk('<', 'order#03')).toStrictEqual(['order#01', 'order#02'])
      expect(await sk('<=', 'order#02')).toStrictEqual(['order#01', 'order#02'])
      expect(await sk('>', 'order#11')).toStrictEqual(['order#12'])
      expect(await sk('>=', 'order#11')).toStrictEqual(['order#11', 'order#12'])
      expect(await sk('between', 'order#04', 'order#06')).toStrictEqual([
        'order#04',
        'order#05',
        'order#06',
      ])
      const c2 = await items(studio, 'Orders', {
        mode: 'query',
        key: { partition: { value: 'c2' }, sort: { op: 'begins_with', value: 'inv' } },
      })
      expect((c2.json as { items: unknown[] }).items).toStrictEqual([
        { PK: 'c2', SK: 'invoice#01', status: 'paid', total: 7 },
      ])
      const filtered = await items(studio, 'Orders', {
        mode: 'query',
        key: { partition: { value: 'c1' } },
        filters: [
          { attribute: 'total', op: '>', value: 60 },
          { attribute: 'status', op: '<>', value: 'open' },
          { attribute: 'note', op: 'attribute_not_exists' },
        ],
      })
      expect([field(filtered), (filtered.json as { scanned: number }).scanned]).toStrictEqual([
        ['order#08', 'order#10', 'order#12'],
        12,
      ])
      const scan = await items(studio, 'Orders', {
        mode: 'scan',
        filters: [{ attribute: 'tags', op: 'contains', value: 'b' }],
      })
      expect(field(scan, 'tags')).toStrictEqual([['a', 'b']])

      const pages: unknown[][] = []
      let cursor: string | undefined
      do {
        const page = await items(studio, 'Orders', {
          mode: 'query',
          key: { partition: { value: 'c1' } },
          limit: 5,
          ...(cursor === undefined ? {} : { cursor }),
        })
        const json = page.json as { cursor?: string; count: number }
        pages.push(field(page))
        cursor = json.cursor
      } while (cursor !== undefined)
      expect(pages.map((p) => p.length)).toStrictEqual([5, 5, 2])
      expect(pages.flat()).toStrictEqual(ITEMS.filter((i) => i.PK === 'c1').map((i) => i.SK))

      const bad = await items(studio, 'Orders', { mode: 'query' })
      expect([bad.status, (bad.json as { error: { code: string } }).error.code]).toStrictEqual([
        400,
        'BAD_REQUEST',
      ])
      const badIndex = await items(studio, 'Orders', {
        mode: 'scan',
        index: 'nope',
      })
      expect(badIndex.status).toBe(400)
    })

    test('export of a result as JSON and CSV, streamed as an attachment', async () => {
      const q = Buffer.from(
        JSON.stringify({ mode: 'query', key: { partition: { value: 'c1' } } }),
      ).toString('base64url')
      const json = await call(studio, 'GET', `/api/tables/Orders/export?format=json&q=${q}`)
      expect(json.status).toBe(200)
      expect(json.headers['content-disposition']).toBe('attachment; filename="Orders.json"')
      expect(json.json).toStrictEqual(ITEMS.filter((i) => i.PK === 'c1'))
      const csv = await call(studio, 'GET', `/api/tables/Orders/export?format=csv&q=${q}`)
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8')
      const lines = csv.text.split('\r\n')
      expect(lines.slice(0, 3)).toStrictEqual([
        'PK,SK,note,status,total,_other',
        'c1,order#01,"first, ""quoted""",open,10,',
        'c1,order#02,,closed,20,',
      ])
      expect(lines).toHaveLength(14) // header, 12 rows, and the empty string after the last CRLF
    })

    test('writes: refused on a non-embedded endpoint without allowWrites, allowed with it', async () => {
      const item = { PK: 'c9', SK: 'order#01', status: 'open', total: 1 }
      const refused = await call(studio, 'PUT', '/api/tables/Orders/item', { body: { item } })
      expect([
        refused.status,
        (refused.json as { error: { code: string } }).error.code,
      ]).toStrictEqual([403, 'WRITES_DISABLED'])
      const writer = await startStudio({ ...opts, allowWrites: true })
      try {
        const put = await call(writer, 'PUT', '/api/tables/Orders/item', { body: { item } })
        expect([put.status, put.json]).toStrictEqual([200, { ok: true }])
        const read = await items(writer, 'Orders', {
          mode: 'query',
          key: { partition: { value: 'c9' } },
        })
        expect((read.json as { items: unknown[] }).items).toStrictEqual([item])
        const key = { PK: 'c9', SK: 'order#01' }
        const del = await call(writer, 'DELETE', '/api/tables/Orders/item', { body: { key } })
        expect([del.status, del.json]).toStrictEqual([200, { ok: true }])
        const gone = await items(writer, 'Orders', {
          mode: 'query',
          key: { partition: { value: 'c9' } },
        })
        expect((gone.json as { items: unknown[] }).items).toStrictEqual([])
      } finally {
        await writer.close()
      }
    })

    test('an edit through the page keeps the stored types: sets stay sets, binary stays binary', async () => {
      const physical = `Orders-${suffix}`
      const key = { PK: { S: 'c8' }, SK: { S: 'typed#01' } }
      const bytes = new Uint8Array([0, 1, 254, 255])
      const stored = {
        ...key,
        tags: { SS: ['a', 'b'] },
        sizes: { NS: ['1', '2.5'] },
        blob: { B: bytes },
        big: { N: '12345678901234567890' },
        meta: { M: { flags: { SS: ['x'] } } },
        note: { S: 'before' },
      }
      const client = engineClient(engine)
      const writer = await startStudio({ ...opts, allowWrites: true })
      try {
        await client.send(new PutItemCommand({ TableName: physical, Item: stored }))
        const read = await items(writer, 'Orders', {
          mode: 'query',
          key: { partition: { value: 'c8' } },
        })
        const [shown] = (read.json as { items: Record<string, unknown>[] }).items
        expect(shown).toStrictEqual({
          PK: 'c8',
          SK: 'typed#01',
          tags: ['a', 'b'],
          sizes: [1, 2.5],
          blob: 'AAH+/w==',
          big: '12345678901234567890',
          meta: { flags: ['x'] },
          note: 'before',
        })
        // The page sends the item back whole with one attribute changed and one set grown.
        const edited = { ...shown, note: 'after', tags: ['a', 'b', 'c'], added: ['q'] }
        const put = await call(writer, 'PUT', '/api/tables/Orders/item', { body: { item: edited } })
        expect([put.status, put.json]).toStrictEqual([200, { ok: true }])
        const after = await client.send(
          new GetItemCommand({ TableName: physical, Key: key, ConsistentRead: true }),
        )
        expect(after.Item).toStrictEqual({
          ...stored,
          note: { S: 'after' },
          tags: { SS: ['a', 'b', 'c'] },
          added: { L: [{ S: 'q' }] },
        })
      } finally {
        await client.send(new DeleteItemCommand({ TableName: physical, Key: key }))
        await writer.close()
        client.destroy()
      }
    })

    test('safety: token, Host and Origin are checked', async () => {
      const code = (a: Answer) => [a.status, (a.json as { error?: { code: string } })?.error?.code]
      expect(
        code(await call(studio, 'GET', '/api/overview', { headers: { 'x-ddbm-token': 'x' } })),
      ).toStrictEqual([401, 'UNAUTHORIZED'])
      expect(
        code(
          await call(studio, 'GET', '/api/overview', { headers: { 'x-ddbm-token': undefined } }),
        ),
      ).toStrictEqual([401, 'UNAUTHORIZED'])
      expect(
        code(
          await call(studio, 'GET', '/api/overview', {
            headers: { host: `evil.example:${studio.port}` },
          }),
        ),
      ).toStrictEqual([403, 'FORBIDDEN_HOST'])
      expect(
        code(await call(studio, 'GET', '/', { headers: { host: `evil.example:${studio.port}` } })),
      ).toStrictEqual([403, 'FORBIDDEN_HOST'])
      expect(
        code(
          await call(studio, 'GET', '/api/overview', {
            headers: { origin: 'http://evil.example' },
          }),
        ),
      ).toStrictEqual([403, 'FORBIDDEN_ORIGIN'])
      expect(
        code(
          await items(studio, 'Orders', { mode: 'scan' }).then(() =>
            call(studio, 'POST', '/api/tables/Orders/items', {
              body: { mode: 'scan' },
              headers: { origin: undefined },
            }),
          ),
        ),
      ).toStrictEqual([403, 'FORBIDDEN_ORIGIN'])
      const local = await call(studio, 'GET', '/api/overview', {
        headers: { host: `localhost:${studio.port}`, origin: `http://localhost:${studio.port}` },
      })
      expect(local.status).toBe(200)
      // The vendored ES modules, without a token: preact, its hooks (importing the bare "preact" the
      // page's import map resolves), and htm's ES module build (an `export default`).
      const vendor = async (file: string) => {
        const a = await call(studio, 'GET', `/vendor/${file}`, {
          headers: { 'x-ddbm-token': undefined },
        })
        return [a.status, a.headers['content-type'], a.text]
      }
      const js = 'text/javascript; charset=utf-8'
      expect(await vendor('preact.js')).toStrictEqual([200, js, expect.stringMatching(/export\{/)])
      expect(await vendor('preact-hooks.js')).toStrictEqual([
        200,
        js,
        expect.stringContaining('from"preact"'),
      ])
      expect(await vendor('htm.js')).toStrictEqual([
        200,
        js,
        expect.stringContaining('export default'),
      ])
    })
  })
}
