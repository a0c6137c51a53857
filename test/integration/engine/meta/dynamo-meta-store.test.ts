import {} from 'vitest'
import { dynamoMetaStore } from '../../../../src/engine/meta/dynamo-meta-store.js'
import { engineClient, engines, describeOn } from '../../../helpers/engines.js'
import { metaStoreContract } from '../../../helpers/meta-store-contract.js'
import { metaTables } from '../../../helpers/meta-tables.js'

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: DynamoDB meta store, the MetaStore contract`, () => {
    const client = engineClient(engine)
    const { uniqueMetaTable } = metaTables(client, 'store_test')
    metaStoreContract(() => dynamoMetaStore({ client, table: uniqueMetaTable() }), {
      waitMs: 1_500,
      ...(engine.supports.atomicWrites
        ? {}
        : {
            racesUnsupported: `${engine.name}'s conditional writes are not atomic under concurrency`,
          }),
    })
  })
}
