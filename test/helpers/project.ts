import { randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { onTestFinished } from 'vitest'
import { dropTables } from './tables.js'

/**
 * Writes an inline fixture tree into a new temporary folder and returns its path. Values that are not
 * strings are written as pretty JSON. `ddbm.config.json` defaults to one embedded `local` environment.
 */
export async function tmpProject(files: Record<string, unknown> = {}): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ddbm-project-'))
  const tree: Record<string, unknown> = {
    'ddbm.config.json': { version: 1, environments: { local: { endpoint: 'embedded' } } },
    ...files,
  }
  for (const [path, content] of Object.entries(tree)) {
    const file = join(root, path)
    await mkdir(dirname(file), { recursive: true })
    await writeFile(
      file,
      typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`,
    )
  }
  return root
}

/**
 * A project (see tmpProject, plus `files`) whose default environment `t` puts every table under a unique
 * suffix, so tests can share one engine; the tables with that suffix on `engine` are dropped when the
 * test ends.
 */
export async function suffixedProject(
  engine: { endpoint: string },
  files: Record<string, unknown> = {},
): Promise<{ cwd: string; suffix: string }> {
  const suffix = randomUUID().slice(0, 8)
  onTestFinished(() => dropTables(engine.endpoint, suffix))
  const cwd = await tmpProject({
    'ddbm.config.json': {
      version: 1,
      defaultEnv: 't',
      environments: { t: { tableNameTemplate: `{table}-${suffix}` } },
    },
    ...files,
  })
  return { cwd, suffix }
}
