import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { freePort, LOOPBACK, waitForHttp } from '../../src/local/free-port.js'

/**
 * moto server, the second test engine (it implements PITR, tags and backups, which DynamoDB Local lacks).
 * `scripts/setup-moto.sh` installs it into the repo's `.venv`.
 */
export const MOTO_SERVER = fileURLToPath(new URL('../../.venv/bin/moto_server', import.meta.url))

/** A running moto server on a loopback port. */
export type StartedMoto = {
  pid: number
  port: number
  /** Always `http://127.0.0.1:<port>`. */
  endpoint: string
  /** SIGTERM, then SIGKILL after 3 s; resolves once the process has exited. */
  stop(): Promise<void>
}

/** True when `.venv/bin/moto_server` exists. */
export function motoInstalled(bin = MOTO_SERVER): boolean {
  return existsSync(bin)
}

const STOP_GRACE_MS = 3_000
const START_ATTEMPTS = 3

/**
 * Starts `moto_server -H 127.0.0.1 -p PORT` on a free port and waits until it answers HTTP. A port taken
 * between picking and binding makes the server exit; then another port is tried.
 */
export async function startMoto(
  opts: { bin?: string; readyTimeoutMs?: number } = {},
): Promise<StartedMoto> {
  const bin = opts.bin ?? MOTO_SERVER
  let lastError = ''
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const port = await freePort()
    const child = spawn(bin, ['-H', LOOPBACK, '-p', String(port)], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
    })
    // moto logs every request on stderr: keep only the tail, for error messages.
    let tail = ''
    child.stderr?.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-4_000)))
    const exited = new Promise<string>((resolve) => {
      child.once('error', (err) => resolve(`could not spawn ${bin}: ${err.message}`))
      child.once('exit', (code, signal) => resolve(`exited (${signal ?? `code ${code}`})`))
    })
    // If the test run dies without its teardown, do not leave the server behind.
    const killOnExit = () => child.kill('SIGKILL')
    process.once('exit', killOnExit)
    const failure = await waitForHttp(port, exited, opts.readyTimeoutMs ?? 30_000)
    if (failure === undefined && child.pid !== undefined) {
      return {
        pid: child.pid,
        port,
        endpoint: `http://${LOOPBACK}:${port}`,
        stop: async () => {
          await stopChild(child, exited)
          process.off('exit', killOnExit)
        },
      }
    }
    await stopChild(child, exited)
    process.off('exit', killOnExit)
    lastError = `moto server on port ${port} ${failure ?? 'has no pid'}${tail ? `:\n${tail.trim()}` : ''}`
  }
  throw new Error(`could not start moto server (${bin}): ${lastError}`)
}

async function stopChild(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const gone = async () => {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), STOP_GRACE_MS)))
    try {
      return await Promise.race([exited.then(() => true), timeout])
    } finally {
      clearTimeout(timer)
    }
  }
  child.kill('SIGTERM')
  if (await gone()) return
  child.kill('SIGKILL')
  if (!(await gone())) throw new Error(`moto server (pid ${child.pid}) survived SIGKILL`)
}
