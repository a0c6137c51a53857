import { createInterface } from 'node:readline/promises'
import type { Argv } from 'yargs'

/**
 * A yes/no question on the terminal, or undefined when there is no terminal to ask (CI, pipes): callers then
 * refuse unless --yes was given. The question goes to stderr so that stdout stays clean for --json.
 */
export function terminalConfirm(): ((question: string) => Promise<boolean>) | undefined {
  const ask = terminalPrompt()
  if (ask === undefined) return undefined
  return async (question) =>
    (await ask(`${question}\nType "yes" to continue:`)).toLowerCase() === 'yes'
}

/**
 * A question on the terminal answered by a typed line (trimmed), or undefined without a terminal. A protected
 * environment's destructive steps are confirmed by typing the environment's name through this.
 */
export function terminalPrompt(): ((question: string) => Promise<string>) | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr })
    try {
      return (await rl.question(`${question} `)).trim()
    } finally {
      rl.close()
    }
  }
}

/** The arguments of a command that can take destructive steps on a protected environment. */
export type ConfirmEnvArgs = { 'confirm-env': string | undefined }

/** Registers `--confirm-env NAME` (docs/protected-environments.md). */
export function confirmEnvOption<T>(y: Argv<T>): Argv<T & ConfirmEnvArgs> {
  return y.option('confirm-env', {
    type: 'string',
    describe:
      'Confirm destructive steps on this protected environment by naming it (CI); --yes does not',
  }) as Argv<T & ConfirmEnvArgs>
}

/** The confirmation options the api takes (`confirmEnv`, and a terminal prompt when there is one). */
export function confirmOptions(argv: ConfirmEnvArgs): {
  confirmEnv?: string
  confirm?: (question: string) => Promise<string>
} {
  const confirm = terminalPrompt()
  return {
    ...(argv['confirm-env'] === undefined ? {} : { confirmEnv: argv['confirm-env'] }),
    ...(confirm === undefined ? {} : { confirm }),
  }
}
