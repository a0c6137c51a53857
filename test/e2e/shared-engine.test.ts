import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { openSession } from '../../src/api/index.js'
import { tmpProject } from '../helpers/temp-tree.js'

const API = fileURLToPath(new URL('../../dist/index.js', import.meta.url))

test('another process using the engine a command started: the starter waits for it before stopping', async () => {
  const cwd = await tmpProject({
    'ddbm.config.json': {
      version: 1,
      local: { storage: 'memory' },
      environments: { local: { endpoint: 'embedded' } },
    },
  })
  const first = await openSession({ cwd, processEnv: {} })
  // A second ddbm process opens a session on the same environment, holds it 2 s, then closes it.
  const script = `import { openSession } from ${JSON.stringify(API)}
const s = await openSession({ cwd: ${JSON.stringify(cwd)}, processEnv: {} })
console.log('open ' + s.endpoint)
await new Promise((r) => setTimeout(r, 2000))
await s.close()
console.log('closed')`
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines: string[] = []
  const opened = new Promise<void>((resolve) =>
    child.stdout.on('data', (d: Buffer) => {
      lines.push(...d.toString().trim().split('\n'))
      if (lines.some((l) => l.startsWith('open'))) resolve()
    }),
  )
  const exited = new Promise((r) => child.on('close', r))
  await opened
  expect(lines[0]).toBe(`open ${first.endpoint}`)

  await first.close() // waits for the other process
  expect(lines).toContain('closed')
  await exited
  expect(existsSync(join(cwd, '.ddbm', 'local.json'))).toBe(false)
}, 60_000)
