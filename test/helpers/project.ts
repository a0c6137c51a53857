import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

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
