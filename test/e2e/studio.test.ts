import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { expect, inject, onTestFinished, test } from 'vitest'
import { SUCCESS_DOCUMENTS } from '../../src/output-schemas/index.js'
import { startDdbm } from '../helpers/cli.js'
import { dropTables } from '../helpers/engines.js'
import { migrationProject } from '../helpers/temp-tree.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Resolves with the first whole line `stream` writes that `match` accepts. */
function firstLine(
  stream: NodeJS.ReadableStream,
  match: (line: string) => boolean,
): Promise<string> {
  return new Promise((resolve) => {
    let text = ''
    stream.on('data', (d: Buffer) => {
      text += d.toString()
      const line = text.split('\n').find((l, i, all) => i < all.length - 1 && match(l))
      if (line !== undefined) resolve(line)
    })
  })
}

test('ddbm studio --json prints its document once listening, serves the API, and exits 0 on Ctrl-C', async () => {
  const endpoint = inject('dynamodbLocalEndpoint')
  const { cwd, suffix } = await migrationProject()
  onTestFinished(() => dropTables(endpoint, suffix))
  const { child, done } = startDdbm(['studio', '--json', '--endpoint', endpoint], { cwd })
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  let stdout = ''
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
  // The document is pretty-printed: it ends at its closing brace on a line of its own.
  await firstLine(child.stdout!, (l) => l === '}')
  const doc = JSON.parse(stdout) as { result: { url: string; port: number } }
  const schema = JSON.parse(
    readFileSync(join(ROOT, 'schema/output/studio.schema.json'), 'utf8'),
  ) as object
  expect(new Ajv2020().validate(schema, doc)).toBe(true)
  expect(SUCCESS_DOCUMENTS.studio.safeParse(doc).success).toBe(true)
  const { url, port } = doc.result
  expect(doc).toStrictEqual({
    ok: true,
    command: 'studio',
    result: { url, port, env: 't', allowWrites: false },
  })
  const token = new URL(url).searchParams.get('token') ?? ''
  const overview = await fetch(`http://127.0.0.1:${port}/api/overview`, {
    headers: { 'x-ddbm-token': token },
  })
  expect(overview.status).toBe(200)
  // The project's schemas/, not migrated yet: both tables missing.
  const tables = (
    (await overview.json()) as { tables: { table: string; status: string; verify: string }[] }
  ).tables
  expect(tables.map((t) => [t.table, t.status, t.verify])).toStrictEqual([
    ['Customers', 'missing', 'missing'],
    ['Orders', 'missing', 'missing'],
  ])
  child.kill('SIGINT')
  const run = await done
  expect(run.code, run.stderr).toBe(0)
  await expect(fetch(`http://127.0.0.1:${port}/api/overview`)).rejects.toThrow()
})
