import type { LocalStatus } from '../api/index.js'
import { formatDuration } from './duration.js'
import { PLAIN, type Style } from './style.js'
import { table } from './table.js'

/**
 * The embedded DynamoDB Local as an aligned two-column block: running or not, then its endpoint, pid,
 * storage, start time and who started it (`ddbm local start`, a command that stops it when done, or a
 * command that left it running until idle).
 */
export function renderLocalStatus(s: LocalStatus, style: Style = PLAIN): string {
  if (!s.running) return `DynamoDB Local  ${style.dim('not running')}`
  const rows = [
    ['endpoint', s.endpoint],
    ['pid', String(s.pid)],
    ['storage', s.storage === 'disk' ? `disk, data in ${s.dataDir ?? '?'}` : 'memory'],
    ['since', s.startedAt],
    ['started by', startedBy(s)],
  ]
  // The first row is the header line of the table: the engine and its state.
  return table([{ header: 'DynamoDB Local' }, { header: style.good('running') }], rows, PLAIN).join(
    '\n',
  )
}

function startedBy(s: LocalStatus & { running: true }): string {
  if (s.owner === 'user') return '`ddbm local start`'
  if (s.owner === 'command') return 'a ddbm command (stops with it)'
  const after = s.idleTimeoutMs === undefined ? '' : ` after ${formatDuration(s.idleTimeoutMs)}`
  return `a ddbm command, left running: stops${after} unused`
}
