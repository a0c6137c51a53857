import type { LocalStatus } from '../api/index.js'

/** One line on the embedded DynamoDB Local: not running, or where, which pid, which storage, since when. */
export function renderLocalStatus(s: LocalStatus): string {
  if (!s.running) return 'DynamoDB Local: not running'
  const data = s.storage === 'disk' ? `data in ${s.dataDir}` : 'in memory'
  return `DynamoDB Local: running at ${s.endpoint} (pid ${s.pid}, ${data}, since ${s.startedAt})`
}
