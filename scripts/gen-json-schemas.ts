// Writes the JSON Schemas for editors (`"$schema"` in ddbm.config.json and schemas/*.json) into schema/,
// and those of the --json documents into schema/output/.
// Run: npx tsx scripts/gen-json-schemas.ts   (a unit test fails when the committed files are stale)
import { mkdir, writeFile } from 'node:fs/promises'
import { jsonSchemaFiles } from '../src/json-schemas.js'

await mkdir('schema/output', { recursive: true })
for (const [file, text] of Object.entries(jsonSchemaFiles())) {
  await writeFile(file, text)
  console.log(`wrote ${file}`)
}
