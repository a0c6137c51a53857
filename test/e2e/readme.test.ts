import { spawn } from 'node:child_process'
import { cp, mkdtemp, readFile, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test, type TestContext } from 'vitest'
import { CLI, ddbm, type CliRun } from '../helpers/cli.js'
import { javaFor } from '../helpers/processes.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * The shell block of README.md that follows the marker `<!-- e2e: <name> -->`: the commands a reader types,
 * exactly as printed.
 */
async function readmeBlock(name: string): Promise<string> {
  const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8')
  const marker = `<!-- e2e: ${name} -->`
  const at = readme.indexOf(marker)
  if (at === -1) throw new Error(`README.md has no ${marker}`)
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at + marker.length))
  if (block?.[1] === undefined) throw new Error(`no sh block after ${marker}`)
  return block[1]
}

/**
 * Runs `script` with bash (`set -euo pipefail`: the first failing command fails the run) in `cwd`, with two
 * stand-ins: `npx ddbm ...` runs the built CLI (what npx runs once ddbm is installed, without fetching it
 * from the registry), and `npm ci` / `npm start` use this repository's node_modules (linked into the copy)
 * and run package.json's start script without its build step (the e2e run builds first). Any other `npx` or
 * `npm` command fails (exit 97), so a README that grows a command this test does not know fails here.
 * The environment is the test's without AWS_* variables, with CI=true (as every CLI test: a command stops
 * the engine it started when it ends; test/e2e/idle-engine.test.ts covers the engine left running).
 */
function runBlock(script: string, cwd: string, start: string): Promise<CliRun> {
  const prelude = `set -euo pipefail
npx() { if [ "$1" = ddbm ]; then shift; node "$DDBM_CLI" "$@"; else echo "test: unexpected npx $*" >&2; return 97; fi; }
npm() {
  case "$*" in
    ci) ;;
    start) bash -euo pipefail -c "$DDBM_START" ;;
    *) echo "test: unexpected npm $*" >&2; return 97 ;;
  esac
}
`
  const env: Record<string, string> = { DDBM_CLI: CLI, DDBM_START: start, CI: 'true' }
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('AWS_')) env[k] ??= v
  }
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', prelude + script], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** The tail of the embedded engine's log in `dir`, for a failure message. */
async function logOf(dir: string): Promise<string> {
  try {
    return (await readFile(path.join(dir, '.ddbm', 'local.log'), 'utf8')).slice(-3000)
  } catch {
    return '(none)'
  }
}

/**
 * A new temporary folder, removed when the test ends; before that, an engine a failed run left in `engineDir`
 * (a folder inside it) is stopped. The tests run concurrently, so cleanups are registered on their own test
 * context (the global onTestFinished, which tempTree uses, cannot tell concurrent tests apart).
 */
async function tempDir(
  prefix: string,
  { onTestFinished }: TestContext,
  engineDir: (root: string) => string = (root) => root,
): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), prefix))
  onTestFinished(async () => {
    const dir = engineDir(root)
    if (javaFor(dir).length > 0) await ddbm(['local', 'stop'], { cwd: dir })
    await rm(root, { recursive: true, force: true })
  })
  return root
}

/** No engine runs for the project in `dir`: `local status` says so, and no Java process names it. */
async function expectNoEngine(dir: string): Promise<void> {
  const status = await ddbm(['local', 'status', '--json'], { cwd: dir })
  expect(JSON.parse(status.stdout).result).toStrictEqual({ running: false })
  expect(javaFor(dir)).toStrictEqual([])
}

describe("the README's commands, verbatim", () => {
  test.concurrent(
    'newcomer: a fresh clone, npm ci && npm start, status, verify, local stop',
    async (context) => {
      const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'))
      const build = 'npm run build && '
      expect(pkg.scripts.start.startsWith(build)).toBe(true)
      // A fresh clone's project files; node_modules and dist come from this checkout (npm ci, the build).
      const clone = await tempDir('ddbm-readme-', context)
      for (const entry of ['package.json', 'ddbm.config.json', 'schemas', 'migrations', 'seeds']) {
        await cp(path.join(ROOT, entry), path.join(clone, entry), { recursive: true })
      }
      await symlink(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'), 'dir')
      await symlink(path.join(ROOT, 'dist'), path.join(clone, 'dist'), 'dir')

      const run = await runBlock(
        await readmeBlock('newcomer'),
        clone,
        pkg.scripts.start.slice(build.length),
      )
      expect(run.code, `${run.stderr}\n.ddbm/local.log:\n${await logOf(clone)}`).toBe(0)
      // migrate status: the three migrations applied.
      for (const name of [
        '0001_create_tables',
        '0002_add_active_candidates_index',
        '0003_backfill_active_flag',
      ]) {
        expect(run.stdout).toMatch(new RegExp(`^${name}\\s+applied\\s`, 'm'))
      }
      // seed (from npm start), then verify: every table of schemas/ exists and matches.
      expect(run.stdout).toMatch(/^verified: \d+ checks ok \(14 of the seeded data\)/m)
      expect(run.stdout).toMatch(/^local: 5 tables; \d+ ok, 0 drift, 0 pending/m)
      // local stop: nothing left running.
      await expectNoEngine(clone)
    },
    // A JVM started twice, a build's worth of seeding and verification: minutes on a busy 2-core machine.
    240_000,
  )

  test.concurrent(
    'user project: an empty folder, npx ddbm init, generate, up, seed',
    async (context) => {
      // The block makes my-service itself.
      const parent = await tempDir('ddbm-readme-user-', context, (root) =>
        path.join(root, 'my-service'),
      )
      const project = path.join(parent, 'my-service')

      const run = await runBlock(await readmeBlock('user-project'), parent, '')
      expect(run.code, run.stderr).toBe(0)
      expect(run.stdout).toContain('created ddbm.config.json\ncreated schemas/Tasks.json\n')
      expect(run.stdout).toContain('wrote migrations/0001_init.json\n')
      expect(run.stdout).toMatch(/^Tasks-local\s+50\s+0\s/m)
      expect(run.stdout).toMatch(/^verified: \d+ checks ok \(3 of the seeded data\)/m)
      const files = await readFile(path.join(project, 'migrations', '0001_init.json'), 'utf8')
      expect(
        JSON.parse(files).up.map((op: { op: string; table: string }) => [op.op, op.table]),
      ).toStrictEqual([['createTable', 'Tasks']])
      // Each command stopped the engine it started (CI=true).
      await expectNoEngine(project)
    },
    240_000,
  )
})
