import { describe, expect, test } from 'vitest'
import { ConfigFile } from '../../../src/config/config-file.js'
import { resolveEnv } from '../../../src/config/load-config.js'
import { logicalName, physicalName } from '../../../src/config/table-names.js'
import { DdbmError } from '../../../src/errors.js'

const config = ConfigFile.parse({
  version: 1,
  metaTable: 'ddbm_migrations',
  environments: {
    local: { endpoint: 'embedded' },
    prod: { region: 'eu-west-1', tableNameTemplate: 'maip-{env}-{table}' },
  },
})

/** The names resolveEnv gives: the template, the meta table, and Orders through the template. */
function names(flags: { env?: string; tablePrefix?: string }) {
  const env = resolveEnv(config, flags, {})
  const orders = physicalName('Orders', env.name, env.tableNameTemplate)
  return {
    template: env.tableNameTemplate,
    metaTable: env.metaTable,
    orders,
    back: logicalName(orders, env.name, env.tableNameTemplate),
  }
}

describe('tablePrefix: one prefix before every table name of the environment', () => {
  test('without a prefix the names are the template’s', () => {
    expect(names({})).toStrictEqual({
      template: '{table}-{env}',
      metaTable: 'ddbm_migrations-local',
      orders: 'Orders-local',
      back: 'Orders',
    })
  })

  test('the prefix goes before the schema tables and the meta table, and maps back', () => {
    expect(names({ tablePrefix: 'w3_' })).toStrictEqual({
      template: 'w3_{table}-{env}',
      metaTable: 'w3_ddbm_migrations-local',
      orders: 'w3_Orders-local',
      back: 'Orders',
    })
  })

  test('it prefixes a per-environment template too', () => {
    expect(names({ env: 'prod', tablePrefix: 'ci.run-7_' })).toStrictEqual({
      template: 'ci.run-7_maip-{env}-{table}',
      metaTable: 'ci.run-7_maip-prod-ddbm_migrations',
      orders: 'ci.run-7_maip-prod-Orders',
      back: 'Orders',
    })
  })

  test('another prefix’s tables are not this environment’s tables', () => {
    const env = resolveEnv(config, { tablePrefix: 'w1_' }, {})
    expect(
      ['w2_Orders-local', 'Orders-local', 'w1_Orders-local'].map((p) =>
        logicalName(p, env.name, env.tableNameTemplate),
      ),
    ).toStrictEqual([undefined, undefined, 'Orders'])
  })

  test.each(['w 1', 'w/1', '{env}_', 'ü_'])(
    'a prefix with a character DynamoDB refuses, %j, is USAGE (exit 2)',
    (tablePrefix) => {
      let error: unknown
      try {
        resolveEnv(config, { tablePrefix }, {})
      } catch (err) {
        error = err
      }
      expect(error).toBeInstanceOf(DdbmError)
      const err = error as DdbmError
      expect([err.code, err.exitCode, err.message, err.hint]).toStrictEqual([
        'USAGE',
        2,
        `Table prefix "${tablePrefix}" holds characters DynamoDB refuses in a table name`,
        'Use only letters, digits, "_", "." and "-", e.g. "w1_".',
      ])
    },
  )
})
