import { createInterface } from 'node:readline/promises'

/**
 * A yes/no question on the terminal, or undefined when there is no terminal to ask (CI, pipes): callers then
 * refuse unless --yes was given. The question goes to stderr so that stdout stays clean for --json.
 */
export function terminalConfirm(): ((question: string) => Promise<boolean>) | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr })
    try {
      const answer = await rl.question(`${question}\nType "yes" to continue: `)
      return answer.trim().toLowerCase() === 'yes'
    } finally {
      rl.close()
    }
  }
}
