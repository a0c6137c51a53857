import { pathToFileURL } from 'node:url'
import { tsImport } from 'tsx/esm/api'
import { DdbmError, messageOf } from '../../errors.js'
import type { LoadedMigration } from '../../schema/load-migrations.js'
import type { Operation } from '../../schema/operation.js'
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
 * with tsx (no build step) and must export `up(ctx)` and `down(ctx)`.
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
    mod = (await tsImport(pathToFileURL(m.absolutePath).href, import.meta.url)) as typeof mod
  } catch (err) {
    throw new DdbmError(
      'MIGRATION_INVALID',
      `${m.file} could not be loaded: ${messageOf(err)}`,
      { file: m.file },
      { cause: err, hint: 'Fix the TypeScript error above; the file is run with tsx.' },
    )
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
