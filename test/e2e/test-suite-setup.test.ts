import { execFileSync, spawn } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, onTestFinished, test } from 'vitest'
import { isPortOpen } from '../../src/local/free-port.js'
import { TEST_SUITE_PROJECT } from '../fixtures/test-suite-project.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const VITEST = join(ROOT, 'node_modules', '.bin', 'vitest')

/**
 * A temp copy of test/fixtures/projects/test-suite whose node_modules holds `ddbm` (this repository: its
 * built dist/, so `npm run build` first), `vitest` and the AWS SDK the tests use, as a user's project has
 * them. Removed when the test ends.
 */
async function userProject(): Promise<string> {
  const cwd = await mkdtemp(join(tmpdir(), 'ddbm-test-suite-'))
  onTestFinished(() => rm(cwd, { recursive: true, force: true }))
  await cp(TEST_SUITE_PROJECT, cwd, { recursive: true })
  await mkdir(join(cwd, 'node_modules'))
  await symlink(ROOT, join(cwd, 'node_modules', 'ddbm'), 'dir')
  for (const dep of ['vitest', '@aws-sdk']) {
    await symlink(join(ROOT, 'node_modules', dep), join(cwd, 'node_modules', dep), 'dir')
  }
  return cwd
}

type Run = { code: number | null; stdout: string; stderr: string; report: JsonReport }
type JsonReport = {
  success: boolean
  numTotalTests: number
  numPassedTests: number
  numFailedTests: number
  testResults: { name: string; status: string }[]
}

/** `vitest run --config <config>` in `cwd` with the JSON reporter, outside this run's vitest (no VITEST_*). */
function vitestRun(cwd: string, config: string): Promise<Run> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('VITEST') && !k.startsWith('AWS_')) env[k] = v
  }
  const args = ['run', '--config', config, '--reporter=json', '--outputFile=report.json']
  return new Promise((resolve, reject) => {
    const child = spawn(VITEST, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', async (code) => {
      try {
        const report = JSON.parse(await readFile(join(cwd, 'report.json'), 'utf8')) as JsonReport
        resolve({ code, stdout, stderr, report })
      } catch (err) {
        reject(new Error(`no JSON report (exit ${code}):\n${stdout}\n${stderr}`, { cause: err }))
      }
    })
  })
}

/** What a nested test file saw: its tables' prefix, the engine, its Customers table. */
async function seen(cwd: string, name: string): Promise<Record<string, string>> {
  return JSON.parse(await readFile(join(cwd, 'out', `${name}.json`), 'utf8'))
}

/** Java processes of DynamoDB Local listening on `port` (its command line holds `-port <port>`). */
function javaOn(port: number): string[] {
  try {
    return execFileSync('pgrep', ['-af', `DynamoDBLocal.* -port ${port} `], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.trim() !== '')
  } catch {
    return []
  }
}

/** The test results of a report as [file, status], sorted. */
function files(cwd: string, report: JsonReport): [string, string][] {
  return report.testResults
    .map((r): [string, string] => [r.name.slice(cwd.length + 1), r.status])
    .sort(([a], [b]) => (a < b ? -1 : 1))
}

describe('a user’s vitest suite on ddbm/vitest', () => {
  test('per worker: two workers on one engine, each resets and reads its own tables; no engine is left', async () => {
    const cwd = await userProject()
    const run = await vitestRun(cwd, 'vitest.config.ts')
    expect([run.code, run.stderr]).toStrictEqual([0, expect.any(String)])
    const { report } = run
    expect([
      report.success,
      report.numTotalTests,
      report.numPassedTests,
      report.numFailedTests,
    ]).toStrictEqual([true, 2, 2, 0])
    expect(files(cwd, report)).toStrictEqual([
      ['tests/worker-a.test.ts', 'passed'],
      ['tests/worker-b.test.ts', 'passed'],
    ])
    const [a, b] = [await seen(cwd, 'a'), await seen(cwd, 'b')]
    expect(a.endpoint).toBe(b.endpoint)
    expect([a.prefix, b.prefix].sort()).toStrictEqual(['w1_', 'w2_'])
    expect([a, b].map((s) => s.table === `${s.prefix}Customers-local`)).toStrictEqual([true, true])
    const port = Number(new URL(a.endpoint!).port)
    expect([await isPortOpen(port), javaOn(port)]).toStrictEqual([false, []])
  })

  test('zero config, globalSetup: ["ddbm/vitest"]: the run’s tables reset once; no engine is left', async () => {
    const cwd = await userProject()
    const run = await vitestRun(cwd, 'vitest.run.config.ts')
    expect([run.code, run.stderr]).toStrictEqual([0, expect.any(String)])
    expect([
      run.report.success,
      run.report.numPassedTests,
      run.report.numFailedTests,
    ]).toStrictEqual([true, 1, 0])
    expect(files(cwd, run.report)).toStrictEqual([['tests/run.test.ts', 'passed']])
    const { prefix, table, endpoint } = await seen(cwd, 'run')
    expect([prefix, table]).toStrictEqual(['', 'Customers-local'])
    const port = Number(new URL(endpoint!).port)
    expect([await isPortOpen(port), javaOn(port)]).toStrictEqual([false, []])
  })
})
