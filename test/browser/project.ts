import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomUUID } from 'node:crypto'
import { dropTables, type Engine } from '../helpers/engines.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** The example project copied into a temporary folder, its tables under a unique suffix. */
export type ExampleProject = {
  cwd: string
  suffix: string
  /** The session options for the library API: this folder, the engine's endpoint, no process env. */
  base: { cwd: string; endpoint: string; processEnv: Record<string, string | undefined> }
  /** The physical name of a logical table. */
  table(logical: string): string
  /** Drops the suffixed tables and removes the folder. */
  remove(): Promise<void>
}

/**
 * This repository's example project (schemas/, migrations/, seeds/ and its config, environment `local`)
 * in a temporary folder, every table (the meta table's too: it is named through the template) under a unique suffix on `engine`;
 * `node_modules/ddbm` points at this repository so that the seeds' and migrations' `import ... from
 * 'ddbm'` resolve as in a user's project. Nothing is created on the engine yet.
 */
export async function exampleProject(engine: Engine): Promise<ExampleProject> {
  const suffix = randomUUID().slice(0, 8)
  const cwd = await mkdtemp(path.join(tmpdir(), 'ddbm-studio-'))
  const remove = async () => {
    await dropTables(engine.endpoint, suffix)
    await rm(cwd, { recursive: true, force: true })
  }
  try {
    for (const dir of ['schemas', 'migrations', 'seeds']) {
      await cp(path.join(ROOT, dir), path.join(cwd, dir), { recursive: true })
    }
    await mkdir(path.join(cwd, 'node_modules'))
    await symlink(ROOT, path.join(cwd, 'node_modules', 'ddbm'))
    const config = JSON.parse(await readFile(path.join(ROOT, 'ddbm.config.json'), 'utf8'))
    delete config.$schema
    config.environments.local.tableNameTemplate = `{table}-${suffix}`
    await writeFile(path.join(cwd, 'ddbm.config.json'), JSON.stringify(config, null, 2))
  } catch (err) {
    await remove()
    throw err
  }
  return {
    cwd,
    suffix,
    base: { cwd, endpoint: engine.endpoint, processEnv: {} },
    table: (logical) => `${logical}-${suffix}`,
    remove,
  }
}
