import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CreateTableCommand, ScanCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import { marshall } from '@aws-sdk/util-dynamodb'
import { createClient } from '../src/dynamo/client.js'
import { startLocal } from '../src/local/dynamodb-local.js'
import { writeItems } from '../src/engine/write/write-items.js'
import { countItems } from '../src/engine/live/read-counts.js'
const root = await mkdtemp(join(tmpdir(), 'cnt-'))
const local = await startLocal({ dir: join(root, '.ddbm'), storage: 'memory', owner: 'command' })
const client = createClient({ region: 'us-east-1', endpoint: local.endpoint, profile: undefined, processEnv: {} })
await client.send(new CreateTableCommand({ TableName: 'Tab', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }))
let total = 0
for (const n of [50000, 50000, 100000]) {
  const from = total
  await writeItems(client, 'Tab', (function* () { for (let i = from; i < from + n; i++) yield marshall({ pk: 'p' + i, notes: 'lorem ipsum dolor sit amet '.repeat(18) }) })())
  total += n
  for (const segments of [1, 4, 8]) {
    const t = performance.now()
    const c = await countItems(client, 'Tab', { segments })
    console.log(total, 'segments', segments, c, Math.round(performance.now() - t), 'ms')
  }
  const t = performance.now()
  let pages = 0, cnt = 0, start
  do { const p = await client.send(new ScanCommand({ TableName: 'Tab', Select: 'COUNT', ConsistentRead: true, ExclusiveStartKey: start, Limit: 10000 })); pages++; cnt += p.Count ?? 0; start = p.LastEvaluatedKey } while (start)
  console.log(total, 'limit 10000', cnt, pages, 'pages', Math.round(performance.now() - t), 'ms')
  const d = await client.send(new DescribeTableCommand({ TableName: 'Tab' }))
  console.log('ItemCount', d.Table?.ItemCount)
}
await local.stop()
