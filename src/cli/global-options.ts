import type { Argv } from 'yargs'

/** Options every command accepts (README "Command line"). */
export type GlobalArgs = {
  env: string | undefined
  config: string | undefined
  endpoint: string | undefined
  region: string | undefined
  profile: string | undefined
  json: boolean
  yes: boolean
  quiet: boolean
  verbose: boolean
}

/** Registers the global options on the root parser. */
export function globalOptions(y: Argv): Argv<GlobalArgs> {
  return y
    .option('env', {
      type: 'string',
      describe: 'Environment from ddbm.config.json (default: its defaultEnv, "local")',
    })
    .option('config', { type: 'string', describe: 'Path to ddbm.config.json' })
    .option('endpoint', {
      type: 'string',
      describe:
        'DynamoDB endpoint URL, or "embedded" (overrides config and AWS_ENDPOINT_URL_DYNAMODB)',
    })
    .option('region', { type: 'string', describe: 'AWS region (overrides config and AWS_REGION)' })
    .option('profile', {
      type: 'string',
      describe: 'AWS profile (overrides config and AWS_PROFILE)',
    })
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'Write one JSON document to stdout; logs go to stderr',
    })
    .option('yes', {
      type: 'boolean',
      default: false,
      describe: 'Confirm destructive steps without asking',
    })
    .option('quiet', {
      type: 'boolean',
      default: false,
      describe: 'Only warnings and errors (and the --json document): for CI',
    })
    .option('verbose', {
      type: 'boolean',
      default: false,
      describe: 'Debug logs and stack traces',
    })
    .group(
      ['env', 'config', 'endpoint', 'region', 'profile', 'json', 'yes', 'quiet', 'verbose'],
      'Global options:',
    )
}

/**
 * The session-related subset of the global options, as the api takes them; a command leaves an embedded
 * engine it starts running for the next one, until idle (config `local.idleTimeout`, off under CI=true).
 */
export function sessionOptions(argv: GlobalArgs): {
  config?: string
  env?: string
  endpoint?: string
  region?: string
  profile?: string
  leaveEngineRunning: true
} {
  const out: Record<string, string> = {}
  for (const key of ['config', 'env', 'endpoint', 'region', 'profile'] as const) {
    const value = argv[key]
    if (value !== undefined) out[key] = value
  }
  return { ...out, leaveEngineRunning: true }
}

/** Only `--config`, for the commands that need the project but no environment (local, create, generate). */
export function projectOptions(argv: GlobalArgs): { config?: string } {
  return argv.config === undefined ? {} : { config: argv.config }
}
