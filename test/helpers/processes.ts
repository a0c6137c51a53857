import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/**
 * True while process `pid` runs. A zombie (exited, not yet reaped by its parent: the test process itself
 * when it spawned the engine) counts as gone: it holds no port and runs nothing. Linux /proc only.
 */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

/** The DynamoDB Local (Java) processes whose command line mentions `dir` (a project's .ddbm). */
export function javaFor(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', `DynamoDBLocal.*${dir}`], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.trim() !== '')
  } catch {
    return []
  }
}
