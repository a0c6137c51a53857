import { describe, expect, test } from 'vitest'
import { checkPhysicalNames, logicalName, physicalName } from '../../../src/config/table-names.js'
import { ConfigFile } from '../../../src/config/config-file.js'

describe('physicalName / logicalName', () => {
  test.each([
    ['Candidates', 'dev', '{table}-{env}', 'Candidates-dev'],
    ['Candidates', 'prod', 'maip-{env}-{table}', 'maip-prod-Candidates'],
    ['items', 'staging', '{table}', 'items'],
    ['items', 'qa', '{env}.{table}.{env}', 'qa.items.qa'],
  ])('%s in %s with %s → %s and back', (logical, env, template, physical) => {
    expect(physicalName(logical, env, template)).toBe(physical)
    expect(logicalName(physical, env, template)).toBe(logical)
  })

  test('default template is {table}-{env}', () => {
    expect(physicalName('ScoreCache', 'local')).toBe('ScoreCache-local')
  })

  test('names that do not follow the template map to undefined', () => {
    expect(logicalName('Candidates-prod', 'dev')).toBeUndefined()
    expect(logicalName('other-dev-Candidates', 'dev', 'maip-{env}-{table}')).toBeUndefined()
    expect(logicalName('maip-dev-', 'dev', 'maip-{env}-{table}')).toBeUndefined()
  })
})

describe('checkPhysicalNames', () => {
  test('flags a template that makes names DynamoDB refuses, per environment', () => {
    const config = ConfigFile.parse({
      version: 1,
      environments: { ok: {}, bad: { tableNameTemplate: '{table} {env}' } },
    })
    expect(checkPhysicalNames(['Candidates'], config, 'ddbm.config.json')).toStrictEqual([
      {
        file: 'ddbm.config.json',
        path: 'environments.bad.tableNameTemplate',
        message:
          'table "Candidates" in environment "bad" would be named "Candidates bad", which DynamoDB refuses (3-255 chars of [a-zA-Z0-9_.-])',
        hint: 'Shorten the template or the table name, and use only letters, digits, "_", "." and "-".',
      },
      {
        file: 'ddbm.config.json',
        path: 'environments.bad.tableNameTemplate',
        message:
          'table "ddbm_migrations" in environment "bad" would be named "ddbm_migrations bad", which DynamoDB refuses (3-255 chars of [a-zA-Z0-9_.-])',
        hint: 'Shorten the template or the table name, and use only letters, digits, "_", "." and "-".',
      },
    ])
  })

  test('a name over 255 characters is refused', () => {
    const config = ConfigFile.parse({ version: 1, environments: { dev: {} } })
    const issues = checkPhysicalNames(['x'.repeat(252)], config, 'ddbm.config.json')
    expect(issues.map((i) => i.path)).toStrictEqual(['tableNameTemplate'])
  })
})
