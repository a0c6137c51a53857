import { loadProject } from '../config/load-config.js'
import { silent, type Emit } from '../events.js'
import {
  keepIdle,
  localStatus as readStatus,
  startLocal,
  stopLocal,
  type LocalInstance,
  type LocalStorage,
} from '../local/dynamodb-local.js'
import type { ProjectOptions } from './session.js'

/** What `ddbm local status` reports. `running: false` carries nothing else. */
export type LocalStatus =
  | { running: false }
  | ({ running: true } & Pick<
      LocalInstance,
      'pid' | 'port' | 'endpoint' | 'storage' | 'dataDir' | 'startedAt' | 'owner' | 'idleTimeoutMs'
    >)

export type LocalStartOptions = ProjectOptions & {
  /** Loopback port; 0 picks a free one. Default: config `local.port`. */
  port?: number
  /** Default: config `local.storage` ("disk", data under .ddbm/data). */
  storage?: LocalStorage
  emit?: Emit
}

/**
 * Starts the embedded DynamoDB Local in the background (it outlives the command) and returns its status.
 * When one is already running for this project, reports that one instead of starting a second; one that
 * a command left running until idle is kept for good (owner 'user'), as if started here.
 */
export async function localStart(opts: LocalStartOptions = {}): Promise<LocalStatus> {
  const emit = opts.emit ?? silent
  const project = await loadProject(opts.cwd ?? process.cwd(), opts.config)
  const running = await readStatus(project.stateDir)
  const kept = running?.owner === 'idle' ? await keepIdle(project.stateDir, running) : running
  if (kept !== undefined) {
    emit({ kind: 'local', status: 'reused', port: kept.port, storage: kept.storage })
    return statusOf(kept)
  }
  const settings = project.config.local
  const storage = opts.storage ?? settings.storage
  const started = await startLocal({
    dir: project.stateDir,
    port: opts.port ?? settings.port,
    storage,
    javaOptions: settings.javaOptions,
    owner: 'user',
    onProgress: (status, info) =>
      emit({ kind: 'local', status, port: info.port, storage, ms: info.ms }),
  })
  return statusOf(started)
}

/** Stops the embedded engine of this project, if one runs; `stopped` says whether one did. */
export async function localStop(
  opts: ProjectOptions & { emit?: Emit } = {},
): Promise<{ stopped: boolean; pid?: number; port?: number }> {
  const project = await loadProject(opts.cwd ?? process.cwd(), opts.config)
  const result = await stopLocal(project.stateDir)
  if (result.stopped) (opts.emit ?? silent)({ kind: 'local', status: 'stopped', port: result.port })
  return result
}

/** Whether the embedded engine of this project runs, and where. */
export async function localStatus(opts: ProjectOptions = {}): Promise<LocalStatus> {
  const project = await loadProject(opts.cwd ?? process.cwd(), opts.config)
  const running = await readStatus(project.stateDir)
  return running === undefined ? { running: false } : statusOf(running)
}

function statusOf(i: LocalInstance): LocalStatus {
  return {
    running: true,
    pid: i.pid,
    port: i.port,
    endpoint: i.endpoint,
    storage: i.storage,
    ...(i.dataDir === undefined ? {} : { dataDir: i.dataDir }),
    startedAt: i.startedAt,
    owner: i.owner,
    ...(i.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: i.idleTimeoutMs }),
  }
}
