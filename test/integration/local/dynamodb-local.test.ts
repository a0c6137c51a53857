import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { isDdbmError } from '../../../src/errors.js'
import {
  findJava,
  localStatus,
  startLocal,
  stopLocal,
  type LocalInstance,
} from '../../../src/local/dynamodb-local.js'
import { answersHttp, freePort, isPortOpen } from '../../../src/local/free-port.js'
import { parseJavaMajor } from '../../../src/local/java.js'
import { alive } from '../../helpers/processes.js'

const dirs: string[] = []

async function tmpDdbmDir(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ddbm-local-'))
  dirs.push(root)
  return join(root, '.ddbm')
}

/** The pid of a process that has already exited. */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
    child.once('error', reject)
    child.once('exit', () => resolve(child.pid!))
  })
}

afterAll(async () => {
  for (const root of dirs) {
    await stopLocal(join(root, '.ddbm')) // safety net: leave no Java behind
    await rm(root, { recursive: true, force: true })
  }
})

describe('DynamoDB Local lifecycle', () => {
  test('in memory: start, status, reuse, stop', async () => {
    const dir = await tmpDdbmDir()
    const port = await freePort()
    const progress: string[] = []
    const local = await startLocal({
      dir,
      port,
      storage: 'memory',
      owner: 'user',
      onProgress: (status) => progress.push(status),
    })
    expect(local).toMatchObject({ port, endpoint: `http://127.0.0.1:${port}`, reused: false })
    expect(local.storage).toBe('memory')
    expect(local.ownerPid).toBeUndefined()
    expect(progress).toStrictEqual(['starting', 'ready'])
    expect(await answersHttp(port)).toBe(true)

    const status = await localStatus(dir)
    expect(status).toMatchObject({ pid: local.pid, port, owner: 'user' })
    const record = JSON.parse(await readFile(join(dir, 'local.json'), 'utf8')) as LocalInstance
    expect(record.pid).toBe(local.pid)

    const again = await startLocal({ dir, storage: 'memory', owner: 'user' })
    expect(again).toMatchObject({ pid: local.pid, port, reused: true })

    expect(await stopLocal(dir)).toStrictEqual({ stopped: true, pid: local.pid, port })
    expect(alive(local.pid)).toBe(false)
    expect(await isPortOpen(port)).toBe(false)
    expect(existsSync(join(dir, 'local.json'))).toBe(false)
    expect(await localStatus(dir)).toBeUndefined()
    expect(await stopLocal(dir)).toStrictEqual({ stopped: false })
  })

  test('on disk: the data directory is created and reused', async () => {
    const dir = await tmpDdbmDir()
    const first = await startLocal({ dir, storage: 'disk', owner: 'command' })
    expect(first.dataDir).toBe(join(dir, 'data'))
    expect(first.ownerPid).toBe(process.pid)
    expect(existsSync(join(dir, 'data'))).toBe(true)
    await first.stop()
    expect(alive(first.pid)).toBe(false)
    expect(existsSync(join(dir, 'local.json'))).toBe(false)

    const second = await startLocal({ dir, storage: 'disk', owner: 'command' })
    expect(second.pid).not.toBe(first.pid)
    expect(second.dataDir).toBe(first.dataDir)
    expect(await localStatus(dir)).toMatchObject({ pid: second.pid, dataDir: first.dataDir })
    await second.stop()
    expect(await isPortOpen(second.port)).toBe(false)
  })

  test('two concurrent starters share one Java process', async () => {
    const dir = await tmpDdbmDir()
    const [a, b] = await Promise.all([
      startLocal({ dir, storage: 'memory', owner: 'command' }),
      startLocal({ dir, storage: 'memory', owner: 'command' }),
    ])
    expect(a.pid).toBe(b.pid)
    expect([a.reused, b.reused].sort()).toStrictEqual([false, true])
    // In one process the starter's stop() is deferred until the other session lets go: no waiting on itself.
    const [owner, user] = a.reused ? [b, a] : [a, b]
    await owner.stop()
    expect(alive(owner.pid)).toBe(true)
    await user.stop()
    expect(alive(a.pid)).toBe(false)
  })

  test('an orphan of a killed command is stopped by localStatus', async () => {
    const dir = await tmpDdbmDir()
    const local = await startLocal({ dir, storage: 'memory', owner: 'command' })
    const file = join(dir, 'local.json')
    const record = JSON.parse(await readFile(file, 'utf8')) as LocalInstance
    await writeFile(file, JSON.stringify({ ...record, ownerPid: await deadPid() }))

    expect(await localStatus(dir)).toBeUndefined()
    expect(alive(local.pid)).toBe(false)
    expect(existsSync(file)).toBe(false)
    await local.stop() // nothing left to stop; unregisters the exit hook
  })
})

describe('stale state and failures', () => {
  test('a local.json with a dead pid is removed', async () => {
    const dir = await tmpDdbmDir()
    const first = await startLocal({ dir, storage: 'memory', owner: 'user' })
    await first.stop()
    const file = join(dir, 'local.json')
    const stale = { ...first, pid: await deadPid(), reused: undefined, stop: undefined }
    await writeFile(file, JSON.stringify(stale))
    expect(await localStatus(dir)).toBeUndefined()
    expect(existsSync(file)).toBe(false)
  })

  test('a port in use is refused', async () => {
    const dir = await tmpDdbmDir()
    const server = createServer().listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    const port = (server.address() as { port: number }).port
    try {
      await expect(
        startLocal({ dir, port, storage: 'memory', owner: 'command' }),
      ).rejects.toSatisfy(
        (err) => isDdbmError(err, 'LOCAL_START_FAILED') && err.message.includes(`Port ${port}`),
      )
    } finally {
      server.close()
    }
  })

  test('Java exiting early fails fast with the log tail', async () => {
    const dir = await tmpDdbmDir()
    const started = Date.now()
    const err: unknown = await startLocal({
      dir,
      storage: 'memory',
      owner: 'command',
      javaOptions: ['-Xmx1k'], // the JVM refuses to start
    }).catch((e: unknown) => e)
    expect(isDdbmError(err, 'LOCAL_START_FAILED')).toBe(true)
    expect((err as Error).message).toMatch(/Java exited[\s\S]*heap/i)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(existsSync(join(dir, 'local.json'))).toBe(false)
  })
})

describe('findJava', () => {
  test('finds the Java 17+ of this machine', async () => {
    expect(await findJava()).toMatch(/java(\.exe)?$/)
  })

  test('JAVA_MISSING without JAVA_HOME and without java on PATH', async () => {
    const err: unknown = await findJava({ PATH: '/nonexistent' }).catch((e: unknown) => e)
    expect(isDdbmError(err, 'JAVA_MISSING')).toBe(true)
    expect((err as Error).message).toContain('no `java` is on PATH')
  })

  test('JAVA_MISSING when JAVA_HOME has no java', async () => {
    const err: unknown = await findJava({ JAVA_HOME: '/nonexistent', PATH: '' }).catch(
      (e: unknown) => e,
    )
    expect(isDdbmError(err, 'JAVA_MISSING')).toBe(true)
  })

  test('parses old and new version strings', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17)
    expect(parseJavaMajor('java version "1.8.0_291"')).toBe(8)
    expect(parseJavaMajor('openjdk version "21" 2023-09-19')).toBe(21)
    expect(parseJavaMajor('nonsense')).toBeUndefined()
  })
})
