import { readFile } from 'node:fs/promises'
import { expect, test } from 'vitest'
import { jsonSchemaFiles } from '../../src/json-schemas.js'

test('the committed JSON Schemas for editors match the zod formats (regenerate: npx tsx scripts/gen-json-schemas.ts)', async () => {
  for (const [file, text] of Object.entries(jsonSchemaFiles())) {
    expect(await readFile(file, 'utf8'), file).toBe(text)
  }
})
