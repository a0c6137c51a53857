import { isDdbmError } from '../errors.js'
import type { Issue } from '../issues.js'
import type { TableSchema } from '../schema/table-schema.js'
import { suggest } from '../zod-issues.js'
import type { Item, LoadedSeed } from './define-seed.js'
import { appliesTo, countFor, generateItems, SEED_REFERENCE_DATE } from './generate.js'
import { keyProblems, keyText } from './keys.js'
import { orderSeeds } from './order.js'

/** How many items of each generator the offline check draws. */
export const SAMPLE_SIZE = 5

/** What checkSeeds checks the seeds against. */
export type CheckSeedsOptions = {
  /** The tables of schemas/. */
  tables: readonly TableSchema[]
  /** The environment names of ddbm.config.json. */
  environments: readonly string[]
  /** The environment the sample is drawn in (the config's defaultEnv); default: the first of `environments`. */
  env?: string
}

/**
 * The offline checks of seeds/ (`ddbm validate`), every problem as an Issue:
 * - a seed's table is a table of schemas/;
 * - at most one generator and at most one fixture per table (the fixture's items are written first, so
 *   the generator may add to them; their keys must not collide, which the sample check and `ddbm seed`
 *   check);
 * - `dependsOn` names tables that have seeds, without cycles (orderSeeds);
 * - an `environments` allow-list names environments of the config;
 * - a sample: items 0 to 4 of every generator (seed number 1, in `env`, or in the first environment of its
 *   allow-list when that leaves `env` out) and every item of every fixture have their key attributes,
 *   of the declared types, and no two share a primary key. A generate() that throws is an Issue too.
 * `summarizeBy` may be any attribute name. Seeds of an unknown table or with dependsOn problems are not
 * sampled (their problems are already listed).
 */
export function checkSeeds(seeds: readonly LoadedSeed[], opts: CheckSeedsOptions): Issue[] {
  const issues: Issue[] = []
  const tables = new Map(opts.tables.map((t) => [t.TableName, t]))
  const tableNames = [...tables.keys()]
  const broken = new Set<string>()

  for (const seed of seeds) {
    const { table } = seed.definition
    if (!tables.has(table)) {
      broken.add(seed.file)
      issues.push({
        file: seed.file,
        path: 'table',
        message: `${JSON.stringify(table)} is not a table of schemas/`,
        hint:
          tableNames.length === 0
            ? `add schemas/${table}.json first (\`ddbm db pull\` or by hand)`
            : suggest(table, tableNames, 'tables of schemas/'),
      })
    }
    const first = seeds.find((s) => s.definition.table === table && s.kind === seed.kind)
    if (first !== undefined && first !== seed) {
      broken.add(seed.file)
      const what = seed.kind === 'fixture' ? 'fixture' : 'generator'
      issues.push({
        file: seed.file,
        path: 'table',
        message: `a second ${what} for table ${JSON.stringify(table)} (the first is ${first.file})`,
        hint: `keep one ${what} per table (a table may have one generator and one fixture): merge the two files`,
      })
    }
    ;(seed.definition.environments ?? []).forEach((env, k) => {
      if (opts.environments.includes(env)) return
      issues.push({
        file: seed.file,
        path: `environments[${k}]`,
        message: `${JSON.stringify(env)} is not an environment of ddbm.config.json`,
        hint: suggest(env, opts.environments, 'environments'),
      })
    })
  }
  const ordered = orderSeeds(seeds)
  for (const issue of ordered.issues) broken.add(issue.file)
  issues.push(...ordered.issues)

  const env = opts.env ?? opts.environments[0] ?? 'local'
  const sampled = seeds.filter((s) => !broken.has(s.file))
  for (const table of new Set(sampled.map((s) => s.definition.table))) {
    const schema = tables.get(table)
    if (schema === undefined) continue
    const keys = new Map<string, string>()
    const own = ordered.order.filter((s) => s.definition.table === table && sampled.includes(s))
    for (const seed of own) issues.push(...sampleIssues(seed, schema, seeds, env, keys))
  }
  return issues
}

/** The key problems of the sampled items of `seed`; `keys` maps the key texts seen so far to where. */
function sampleIssues(
  seed: LoadedSeed,
  table: TableSchema,
  seeds: readonly LoadedSeed[],
  defaultEnv: string,
  keys: Map<string, string>,
): Issue[] {
  const fixture = seed.kind === 'fixture'
  const env = appliesTo(seed, defaultEnv)
    ? defaultEnv
    : (seed.definition.environments?.[0] ?? defaultEnv)
  const to = fixture ? countFor(seed, env) : Math.min(SAMPLE_SIZE, countFor(seed, env))
  const where = (i: number) =>
    fixture ? { path: `items[${i}]`, at: '' } : { path: 'generate', at: `item ${i}: ` }
  const now = Date.parse(SEED_REFERENCE_DATE)
  const issues: Issue[] = []
  let i = 0
  try {
    for (const item of generateItems(seed, { seed: 1, env, now, to, seeds })) {
      const { path, at } = where(i)
      const label = fixture ? `items[${i}] of ${seed.file}` : `item ${i} of ${seed.file}`
      const problems = keyProblems(item, table)
      for (const problem of problems) {
        issues.push({
          file: seed.file,
          path,
          message: `${at}${problem}`,
          hint: keyHint(table, fixture),
        })
      }
      if (problems.length === 0) {
        issues.push(...duplicate(item, table, keys, { label, file: seed.file, path, at, fixture }))
      }
      i++
    }
  } catch (err) {
    if (isDdbmError(err, 'SEED_INVALID')) return [...issues, ...err.details.issues]
    throw err
  }
  return issues
}

/** Where an item comes from: its label in messages, its file, JSON path and message prefix. */
type Place = { label: string; file: string; path: string; at: string; fixture: boolean }

/** An Issue when `item` has the key of an item seen before (`keys`), else records its key. */
function duplicate(
  item: Item,
  table: TableSchema,
  keys: Map<string, string>,
  { label, file, path, at, fixture }: Place,
): Issue[] {
  const text = keyText(item, table)
  const other = keys.get(text)
  if (other === undefined) {
    keys.set(text, label)
    return []
  }
  return [
    {
      file,
      path,
      message: `${at}has the same primary key as ${other}: ${text}`,
      hint: fixture
        ? 'give every item its own key: a second item with the same key replaces the first'
        : 'derive the key from something unique (ctx.i, faker.string.uuid()); a second item with the same key replaces the first',
    },
  ]
}

function keyHint(table: TableSchema, fixture: boolean): string {
  const keys = table.KeySchema.map((k) => {
    const type = table.AttributeDefinitions.find((d) => d.AttributeName === k.AttributeName)
    return `${k.AttributeName} (${type?.AttributeType ?? '?'})`
  })
  const where = fixture ? 'give every item' : 'return from generate()'
  return `${where} the key of ${table.TableName}: ${keys.join(', ')}, and index keys of their declared types (S: string, N: number, B: Uint8Array)`
}
