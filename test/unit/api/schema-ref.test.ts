import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, onTestFinished, test } from 'vitest'
import { schemaRef } from '../../../src/api/schema-ref.js'

const REPO = fileURLToPath(new URL('../../..', import.meta.url))

async function project(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'ddbm-ref-'))
  onTestFinished(() => rm(root, { recursive: true, force: true }))
  return root
}

describe('schemaRef: the $schema of a file ddbm writes resolves in the project', () => {
  test('a project without ddbm installed points where `npm install -D ddbm` puts it', async () => {
    const root = await project()
    expect(
      schemaRef(root, path.join(root, 'migrations', '0001_x.json'), 'migration.schema.json'),
    ).toBe('../node_modules/ddbm/schema/migration.schema.json')
  })

  test('a project with ddbm installed points into its node_modules', async () => {
    const root = await project()
    const installed = path.join(root, 'node_modules', 'ddbm', 'schema')
    await mkdir(installed, { recursive: true })
    await writeFile(path.join(installed, 'table.schema.json'), '{}')
    expect(schemaRef(root, path.join(root, 'db', 'schemas', 'T.json'), 'table.schema.json')).toBe(
      '../../node_modules/ddbm/schema/table.schema.json',
    )
  })

  test("ddbm's own repository (its root is an example project) points at its schema/ folder", () => {
    expect(schemaRef(REPO, path.join(REPO, 'schemas', 'T.json'), 'table.schema.json')).toBe(
      '../schema/table.schema.json',
    )
  })
})
