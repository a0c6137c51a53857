/**
 * Start-up benchmark of the built CLI (`dist/cli/main.js`: build first). Every case is a fresh `node`
 * process, timed from spawn to exit, and the cases take turns run after run so that they share the
 * machine's load; each is reported as its median and as a ratio to the median of a bare `node -e 0` of
 * the same run (goal for `--help` and `validate`: within 2.5x).
 *
 * - `ddbm --help`, `ddbm --version`;
 * - `ddbm validate` on the example project (this repository: its seeds are TypeScript run with tsx), and on
 *   the same project without seeds/ (what compiling and running the seeds costs is the difference);
 * - `ddbm migrate up` (nothing pending) and `ddbm migrate status` on the embedded engine, in a copy of the
 *   example project whose node_modules/ddbm points here: cold, each command starting and stopping Java
 *   (CI=true), and warm, reusing the engine a first command left running (local.idleTimeout).
 *
 * Run: `npm run bench:startup -- [--runs 9] [--engine-runs 3]`
 */
import { spawnSync } from 'node:child_process'
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLI = join(ROOT, 'dist', 'cli', 'main.js')

/** One process to time: its arguments to `node`, where it runs and its extra environment. */
type Case = { label: string; args: string[]; cwd: string; env?: Record<string, string | undefined> }

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name)
  return i === -1 ? fallback : Number(process.argv[i + 1])
}

/** The environment of every timed process: ours without NODE_OPTIONS (tsx's) and AWS_*, plus `extra`. */
function environment(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && k !== 'NODE_OPTIONS' && !k.startsWith('AWS_')) env[k] = v
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return env
}

/** Runs `c` once and returns its wall time in ms; throws on a non-zero exit. */
function time(c: Case): number {
  const start = performance.now()
  const run = spawnSync(process.execPath, c.args, {
    cwd: c.cwd,
    env: environment(c.env),
    encoding: 'utf8',
  })
  const ms = performance.now() - start
  if (run.status !== 0) {
    throw new Error(`${c.label} exited ${run.status}:\n${run.stdout}\n${run.stderr}`)
  }
  return ms
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

/** Times every case `runs` times, in turns; returns the times of each case by label. */
function measure(cases: readonly Case[], runs: number): Map<string, number[]> {
  const times = new Map<string, number[]>(cases.map((c) => [c.label, []]))
  for (let run = 0; run < runs; run++) {
    for (const c of cases) times.get(c.label)?.push(time(c))
  }
  return times
}

function print(times: Map<string, number[]>, base: number): void {
  const width = Math.max(...[...times.keys()].map((l) => l.length))
  console.log(`${'case'.padEnd(width)}  median     ratio  min-max`)
  for (const [label, values] of times) {
    const m = median(values)
    const range = `${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)} ms`
    console.log(
      `${label.padEnd(width)}  ${m.toFixed(0).padStart(5)} ms  ${(m / base).toFixed(2).padStart(5)}x  ${range}`,
    )
  }
}

/** A copy of the example project (without seeds/ when `seeds` is false), whose `ddbm` is this one. */
async function exampleProject(prefix: string, seeds: boolean): Promise<string> {
  const cwd = await mkdtemp(join(tmpdir(), prefix))
  for (const entry of ['ddbm.config.json', 'schemas', 'migrations', ...(seeds ? ['seeds'] : [])]) {
    await cp(join(ROOT, entry), join(cwd, entry), { recursive: true })
  }
  await mkdir(join(cwd, 'node_modules'))
  await symlink(ROOT, join(cwd, 'node_modules', 'ddbm'), 'dir')
  return cwd
}

const runs = option('--runs', 9)
const engineRuns = option('--engine-runs', 3)
const noSeeds = await exampleProject('ddbm-bench-noseeds-', false)
const engine = await exampleProject('ddbm-bench-engine-', true)
const ddbm = (args: string[]) => [CLI, ...args]
try {
  console.log(`node ${process.version}, ${runs} runs per case, in turns`)
  const quick = measure(
    [
      { label: 'node -e 0', args: ['-e', '0'], cwd: ROOT },
      { label: 'ddbm --help', args: ddbm(['--help']), cwd: ROOT },
      { label: 'ddbm --version', args: ddbm(['--version']), cwd: ROOT },
      { label: 'ddbm validate (example project)', args: ddbm(['validate']), cwd: ROOT },
      { label: 'ddbm validate (without seeds/)', args: ddbm(['validate']), cwd: noSeeds },
    ],
    runs,
  )
  const base = median(quick.get('node -e 0') ?? [])
  print(quick, base)

  // The engine's data on disk, migrated once: every `migrate up` below finds nothing pending.
  time({ label: 'setup', args: ddbm(['migrate', 'up']), cwd: engine, env: { CI: 'true' } })
  console.log(`\nembedded engine (data on disk), ${engineRuns} runs per case, in turns`)
  const cold = { CI: 'true' }
  const warm = { CI: undefined }
  const engineCases: Case[] = [
    { label: 'node -e 0', args: ['-e', '0'], cwd: ROOT },
    { label: 'migrate up, cold (CI=true)', args: ddbm(['migrate', 'up']), cwd: engine, env: cold },
    {
      label: 'migrate status, cold (CI=true)',
      args: ddbm(['migrate', 'status']),
      cwd: engine,
      env: cold,
    },
  ]
  const coldTimes = measure(engineCases, engineRuns)
  // A first command leaves the engine running (local.idleTimeout, 10m by default); the next ones reuse it.
  time({ label: 'warm-up', args: ddbm(['migrate', 'status']), cwd: engine, env: warm })
  const warmTimes = measure(
    [
      { label: 'node -e 0', args: ['-e', '0'], cwd: ROOT },
      { label: 'migrate up, warm', args: ddbm(['migrate', 'up']), cwd: engine, env: warm },
      { label: 'migrate status, warm', args: ddbm(['migrate', 'status']), cwd: engine, env: warm },
    ],
    engineRuns,
  )
  const baseline = [...(coldTimes.get('node -e 0') ?? []), ...(warmTimes.get('node -e 0') ?? [])]
  warmTimes.delete('node -e 0')
  coldTimes.set('node -e 0', baseline)
  print(new Map([...coldTimes, ...warmTimes]), median(baseline))
} finally {
  spawnSync(process.execPath, ddbm(['local', 'stop']), { cwd: engine, env: environment() })
  await rm(noSeeds, { recursive: true, force: true })
  await rm(engine, { recursive: true, force: true })
}
