import { DdbmError, messageOf } from '../../errors.js'
import type { LoadedMigration } from '../../schema/load-migrations.js'
import type { Operation } from '../../schema/operation.js'
import { importTs } from './import-ts.js'
import type { MigrationContext } from './migration-context.js'

/** A migration's two directions, ready to run. */
export type Runnable = {
  up(ctx: MigrationContext): Promise<void>
  down(ctx: MigrationContext): Promise<void>
}

/** Runs a list of table operations (the executor, injected so this module stays small). */
export type RunOperations = (ops: readonly Operation[]) => Promise<unknown>

/**
 * A `.json` migration runs its `up` / `down` operations through the executor; a `.ts` migration is imported
 * with tsx (no build step; a bare `ddbm` always resolves: importTs) and must export `up(ctx)` and
 * `down(ctx)`.
 */
export async function loadRunnable(m: LoadedMigration, runOps: RunOperations): Promise<Runnable> {
  if (m.kind === 'json') {
    const content = m.content
    if (content === undefined) throw new DdbmError('MIGRATION_INVALID', `${m.file} is not valid`)
    return {
      up: async () => void (await runOps(content.up)),
      down: async () => void (await runOps(content.down)),
    }
  }
  let mod: { up?: unknown; down?: unknown }
  try {
    mod = (await importTs(m.absolutePath)) as typeof mod
  } catch (err) {
    throw loadError(m.file, err)
  }
  const fn = (key: 'up' | 'down') => {
    const f = mod[key]
    if (typeof f !== 'function') {
      throw new DdbmError(
        'MIGRATION_INVALID',
        `${m.file} exports no ${key}() function`,
        { file: m.file },
        { hint: `Add \`export async function ${key}(ctx: MigrationContext) {}\`.` },
      )
    }
    return f as (ctx: MigrationContext) => Promise<void>
  }
  const up = fn('up')
  const down = fn('down')
  return { up: (ctx) => up(ctx), down: (ctx) => down(ctx) }
}

/**
 * The error for a `.ts` migration that failed to load. A module that cannot be resolved is a dependency
 * problem, not a TypeScript one: the migration is imported from its own folder, so a package it imports
 * must be installed in the user's project (ddbm's own dependencies are not visible from there).
 */
export function loadError(file: string, err: unknown): DdbmError {
  const missing = missingModule(err)
  if (missing === undefined) {
    return new DdbmError(
      'MIGRATION_INVALID',
      `${file} could not be loaded: ${messageOf(err)}`,
      { file },
      { cause: err, hint: 'Fix the TypeScript error above; the file is run with tsx.' },
    )
  }
  const from = missing.importer === undefined ? '' : ` imported from ${missing.importer}`
  const { specifier, pkg } = missing
  if (pkg === undefined) {
    return new DdbmError(
      'MIGRATION_INVALID',
      `${file} could not be loaded: cannot find module '${specifier}'${from}`,
      { file, missingModule: specifier },
      { cause: err, hint: `${specifier} does not exist: fix the import path or add the file.` },
    )
  }
  const instead = pkg.startsWith('@aws-sdk/')
    ? ', or use the helpers of ctx (get, put, update, delete, scan, query, putItems, deleteItems) instead of importing the AWS SDK'
    : ''
  return new DdbmError(
    'MIGRATION_INVALID',
    `${file} could not be loaded: cannot find package '${pkg}'${from}`,
    { file, missingPackage: pkg },
    {
      cause: err,
      hint: `The package ${pkg} is not installed in this project: add it to the dependencies of your project's package.json (\`npm install ${pkg}\`)${instead}.`,
    },
  )
}

/**
 * The module a load failed on (Node's ERR_MODULE_NOT_FOUND for ES modules, MODULE_NOT_FOUND for
 * CommonJS), with the file that imported it and, for a bare specifier, its package name; undefined for
 * any other error.
 */
export function missingModule(
  err: unknown,
): { specifier: string; pkg: string | undefined; importer: string | undefined } | undefined {
  const code = (err as { code?: unknown } | undefined)?.code
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return undefined
  const text = messageOf(err)
  const specifier = /^Cannot find (?:package|module) '([^']+)'/.exec(text)?.[1]
  if (specifier === undefined) return undefined
  // ESM: "... imported from <file>"; CommonJS: "Require stack:\n- <file>?namespace=..." (tsx's query).
  const importer = (/ imported from (.+)$/m.exec(text) ?? /^- (.+)$/m.exec(text))?.[1]?.replace(
    /\?namespace=.*$/,
    '',
  )
  if (/^(?:[./]|file:|[A-Za-z]:[\\/])/.test(specifier))
    return { specifier, pkg: undefined, importer }
  const parts = specifier.split('/')
  const pkg = (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/')
  return { specifier, pkg, importer }
}
