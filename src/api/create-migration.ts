import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { loadProject, type Project } from '../config/load-config.js'
import { DdbmError } from '../errors.js'
import { loadMigrations, pad } from '../schema/load-migrations.js'
import { schemaRef } from './schema-ref.js'
import type { ProjectOptions } from './session.js'

/** An empty JSON migration whose `$schema` is `ref`. */
function jsonTemplate(ref: string): string {
  return `${JSON.stringify({ $schema: ref, version: 1, up: [], down: [] }, null, 2)}\n`
}

const TS_TEMPLATE = `import type { MigrationContext } from 'ddbm'

/**
 * Data change: runs once, in order with the other migrations, under the migration lock. A failed run is run
 * again from the start, so write each change to converge (a condition plus \`ifConditionFails: 'skip'\`).
 * Tables are logical names; items are plain objects. Import nothing but ddbm's types: ctx has the helpers.
 */
export async function up(ctx: MigrationContext): Promise<void> {
  // for await (const item of ctx.scan('Candidates', {
  //   filter: '#s = :s', names: { '#s': 'status' }, values: { ':s': 'PENDING' },
  // })) {
  //   await ctx.update('Candidates', { PK: item.PK, SK: item.SK }, {
  //     set: { activeFlag: 'Y' },
  //     condition: 'attribute_exists(PK)',
  //     ifConditionFails: 'skip',
  //   })
  // }
  // Also: ctx.get, ctx.put, ctx.delete, ctx.query(table, { keyCondition, index }),
  // ctx.putItems(table, items), ctx.deleteItems(table, keys), ctx.log(message).
}

/** Undo of up(), run by \`ddbm migrate down\`. */
export async function down(ctx: MigrationContext): Promise<void> {}
`

/**
 * `ddbm migrate create <name> [--ts]`: writes the next `migrations/NNNN_<name>.json` (empty up and down) or
 * `.ts` (a data migration) from a template. The name is lower-cased, other characters become `_`.
 */
export async function createMigration(
  opts: ProjectOptions & { name: string; ts?: boolean },
): Promise<{ name: string; file: string }> {
  const project = await loadProject(opts.cwd ?? process.cwd(), opts.config)
  return writeMigration(project, opts.name, opts.ts === true ? 'ts' : 'json', (_name, ref) =>
    opts.ts === true ? TS_TEMPLATE : jsonTemplate(ref),
  )
}

/**
 * Writes the next migration file: number = highest existing + 1, name slugged. Never overwrites (`wx`).
 * `content` gets the name and the `$schema` reference for the file's place (api/schema-ref.ts).
 * Shared by `migrate create` and `migrate generate`.
 */
export async function writeMigration(
  project: Project,
  rawName: string,
  kind: 'json' | 'ts',
  content: (name: string, schemaRef: string) => string,
): Promise<{ name: string; file: string }> {
  const slug = rawName
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '')
  if (slug === '') {
    throw new DdbmError('USAGE', `"${rawName}" makes no usable migration name`, undefined, {
      hint: 'Use letters and digits, e.g. `ddbm migrate create add_status_index`.',
    })
  }
  const { migrations } = await loadMigrations(project.migrationsDir, { root: project.root })
  const next = migrations.reduce((max, m) => Math.max(max, m.number), 0) + 1
  const name = `${pad(next)}_${slug}`
  const absolute = path.join(project.migrationsDir, `${name}.${kind}`)
  await mkdir(project.migrationsDir, { recursive: true })
  const ref = schemaRef(project.root, absolute, 'migration.schema.json')
  await writeFile(absolute, content(name, ref), { flag: 'wx' })
  return { name, file: path.relative(project.root, absolute).split(path.sep).join('/') }
}
