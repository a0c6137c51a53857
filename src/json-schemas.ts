import { configJsonSchema } from './config/config-file.js'
import { outputSchemaFiles } from './output-schemas/index.js'
import { migrationJsonSchema } from './schema/operation.js'
import { seedFixtureJsonSchema } from './schema/seed-fixture.js'
import { tableJsonSchema } from './schema/table-schema.js'

/**
 * The JSON Schema files shipped in schema/, by path, as the exact text to commit: the formats users write,
 * and under schema/output/ the documents `--json` prints.
 */
export function jsonSchemaFiles(): Record<string, string> {
  const text = (title: string, schema: Record<string, unknown>) =>
    `${JSON.stringify({ title, ...schema }, null, 2)}\n`
  return {
    'schema/ddbm.config.schema.json': text('ddbm.config.json', configJsonSchema()),
    'schema/table.schema.json': text('ddbm table schema (schemas/*.json)', tableJsonSchema()),
    'schema/migration.schema.json': text(
      'ddbm migration (migrations/*.json)',
      migrationJsonSchema(),
    ),
    'schema/seed-fixture.schema.json': text(
      'ddbm seed fixture (seeds/*.json)',
      seedFixtureJsonSchema(),
    ),
    ...outputSchemaFiles(),
  }
}
