import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The schema/ folder of the running ddbm (from dist/api/ or src/api/, two levels up). */
const OWN_SCHEMAS = fileURLToPath(new URL('../../schema/', import.meta.url))

/**
 * The `$schema` reference of a file ddbm writes at `file` in the project at `root`, to ddbm's JSON Schema
 * `name` (`migration.schema.json`, `table.schema.json`), relative so that an editor resolves it in any
 * checkout: the project's installed ddbm (`node_modules/ddbm/schema/`) when there is one; else the running
 * ddbm's own folder when it lies inside the project (ddbm's repository, whose root is an example project);
 * else where `npm install -D ddbm` will put it (ddbm run through npx).
 */
export function schemaRef(root: string, file: string, name: string): string {
  const installed = path.join(root, 'node_modules', 'ddbm', 'schema', name)
  const own = path.join(OWN_SCHEMAS, name)
  const ownInside = !path.relative(root, own).startsWith('..')
  const target = !existsSync(installed) && ownInside ? own : installed
  const relative = path.relative(path.dirname(file), target).split(path.sep).join('/')
  return relative.startsWith('.') ? relative : `./${relative}`
}
