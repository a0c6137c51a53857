import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, onTestFinished, test } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const VITEST = join(ROOT, 'node_modules', '.bin', 'vitest')

type Report = {
  numPassedTests: number
  numPendingTests: number
  numFailedTests: number
  testResults: { assertionResults: { fullName: string; status: string }[] }[]
}

test('on a machine without moto, its tests are reported skipped with the reason, not left out', async () => {
  const out = await mkdtemp(join(tmpdir(), 'ddbm-suite-skips-'))
  onTestFinished(() => rm(out, { recursive: true, force: true }))
  const env: Record<string, string> = { DDBM_TEST_WITHOUT_MOTO: '1' }
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('VITEST') && k !== 'CI') env[k] ??= v
  }
  const file = join(out, 'report.json')
  const args = [
    'run',
    'test/integration/engines.test.ts',
    '--reporter=json',
    `--outputFile=${file}`,
  ]
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(VITEST, args, { cwd: ROOT, env, stdio: 'ignore' })
    child.on('error', reject)
    child.on('close', resolve)
  })
  const report = JSON.parse(await readFile(file, 'utf8')) as Report
  const results = report.testResults.flatMap((r) => r.assertionResults)
  expect(code).toBe(0)
  expect(results.map((r) => [r.fullName, r.status])).toStrictEqual([
    ['test engines dynamodb-local does exactly what its declared capabilities say', 'passed'],
    [
      'test engines moto does exactly what its declared capabilities say (skipped: moto server not installed: run scripts/setup-moto.sh)',
      'skipped',
    ],
  ])
  expect([report.numPassedTests, report.numPendingTests, report.numFailedTests]).toStrictEqual([
    1, 1, 0,
  ])
}, 120_000)
