import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { onTestFinished } from 'vitest'

/**
 * A new temporary folder named `<prefix>…` with `files` under it (path → text, or a value written as
 * JSON with no final newline), removed when the test ends. Call it inside a test.
 */
export async function tempTree(prefix: string, files: Record<string, unknown>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), prefix))
  onTestFinished(() => rm(root, { recursive: true, force: true }))
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name)
    await mkdir(path.dirname(file), { recursive: true })
    const text = typeof content === 'string' ? content : JSON.stringify(content, null, 2)
    await writeFile(file, text)
  }
  return root
}
