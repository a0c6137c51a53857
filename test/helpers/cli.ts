import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Reporter } from '../../src/cli/reporter.js'
import { DdbmError } from '../../src/errors.js'
import type { Issue } from '../../src/schema/issues.js'

/** The built CLI (npm test builds first). */
export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))

export type CliRun = { code: number | null; stdout: string; stderr: string }

/**
 * Spawns `node dist/cli/main.js ...args` in `cwd` and collects its output. The environment is the test's,
 * minus AWS_* variables (so nothing reaches a real account) and FORCE_COLOR / NO_COLOR (so that a CI
 * setting them changes no expected text), with CI=true (an embedded engine a command starts is stopped
 * when the command ends, not left running until idle), plus `env` (undefined removes a variable).
 */
export function ddbm(
  args: string[],
  opts: { cwd: string; env?: Record<string, string | undefined> },
): Promise<CliRun> {
  return node([CLI, ...args], opts)
}

const COLOR_VARIABLES = new Set(['FORCE_COLOR', 'NO_COLOR'])

/** Spawns `node ...args` in `cwd` like {@link ddbm} (no AWS_* or colour variables, CI=true, plus `env`) and collects its output. */
export function node(
  args: string[],
  opts: { cwd: string; env?: Record<string, string | undefined> },
): Promise<CliRun> {
  return startNode(args, opts).done
}

/** Starts the built CLI like {@link ddbm} and returns the child (to signal it) and its outcome. */
export function startDdbm(
  args: string[],
  opts: { cwd: string; env?: Record<string, string | undefined> },
): { child: ChildProcess; done: Promise<CliRun> } {
  return startNode([CLI, ...args], opts)
}

function startNode(
  args: string[],
  opts: { cwd: string; env?: Record<string, string | undefined> },
): { child: ChildProcess; done: Promise<CliRun> } {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('AWS_') && !COLOR_VARIABLES.has(k)) env[k] = v
  env.CI = 'true'
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const done = new Promise<CliRun>((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
  return { child, done }
}

/**
 * The text the CLI prints on stderr for one issue, as `ddbm validate` shows it: the Reporter's human
 * rendering of a SCHEMA_INVALID error carrying `issue`, without the `error:` and `hint:` lines that follow
 * the issues, and without the final newline.
 */
export function printedIssue(issue: Issue): string {
  let text = ''
  const reporter = new Reporter(
    { json: false, quiet: false, verbose: false },
    { write: () => undefined },
    { write: (t: string) => (text += t) },
  )
  reporter.fatal(new DdbmError('SCHEMA_INVALID', '1 problem found', { issues: [issue] }))
  return text.slice(0, text.lastIndexOf('\nerror: 1 problem found\n'))
}
