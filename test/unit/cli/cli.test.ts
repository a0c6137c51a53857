import { describe, expect, test } from 'vitest'
import { parseGlobalFlags, run } from '../../../src/cli/cli.js'
import { Reporter } from '../../../src/cli/reporter.js'

/** Runs the CLI on `args` with a reporter that writes into strings; only commands that need no project. */
async function cli(args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const reporter = new Reporter(
    undefined,
    { write: (t: string) => out.push(t) },
    { write: (t: string) => err.push(t) },
  )
  const code = await run(args, reporter)
  return { code, mode: reporter.mode, stdout: out.join(''), stderr: err.join('') }
}

/** A command whose handler fails without touching anything: its config file does not exist. */
const FAILING = ['local', 'status', '--config', 'no-such-ddbm.config.json']
const CONFIG_NOT_FOUND = {
  code: 'CONFIG_NOT_FOUND',
  exitCode: 2,
  message: 'Config file no-such-ddbm.config.json does not exist',
  hint: 'Run `ddbm init` to scaffold ddbm.config.json, or pass `--config <file>`.',
}
const USAGE_HINT = 'Run `ddbm --help` or `ddbm <command> --help` for the options.'

describe('the reporter takes its mode from the parsed arguments', () => {
  test.each([
    [[...FAILING], { json: false, quiet: false, verbose: false }],
    [[...FAILING, '--json'], { json: true, quiet: false, verbose: false }],
    [['--json', '--quiet', ...FAILING], { json: true, quiet: true, verbose: false }],
    [[...FAILING, '--json=true', '--verbose'], { json: true, quiet: false, verbose: true }],
    [[...FAILING, '--json', 'false'], { json: false, quiet: false, verbose: false }],
    [[...FAILING, '--json=false'], { json: false, quiet: false, verbose: false }],
    [[...FAILING, '--no-json'], { json: false, quiet: false, verbose: false }],
  ])('%j → %j', async (args, mode) => {
    expect((await cli(args)).mode).toStrictEqual(mode)
  })

  test('--json: a handler failure is one error document on stdout, the text on stderr', async () => {
    const run = await cli([...FAILING, '--json'])
    expect(run.code).toBe(2)
    expect(JSON.parse(run.stdout)).toStrictEqual({
      ok: false,
      command: 'local status',
      error: CONFIG_NOT_FOUND,
    })
    expect(run.stderr).toBe(`error: ${CONFIG_NOT_FOUND.message}\nhint: ${CONFIG_NOT_FOUND.hint}\n`)
  })

  test('--json=false: no document, whatever the raw arguments contain', async () => {
    const run = await cli([...FAILING, '--json=false'])
    expect([run.code, run.stdout]).toStrictEqual([2, ''])
    expect(run.stderr).toContain(`error: ${CONFIG_NOT_FOUND.message}`)
  })

  test('--verbose prints the stack trace; without it there is none', async () => {
    expect((await cli([...FAILING, '--verbose'])).stderr).toContain('    at ')
    expect((await cli(FAILING)).stderr).not.toContain('    at ')
  })

  test.each([
    [['frobnicate', '--json'], 'frobnicate', 'Unknown argument: frobnicate'],
    [['--json'], '', 'Name a command.'],
    [
      ['migrate', 'create', '--json'],
      'migrate create',
      'Not enough non-option arguments: got 0, need at least 1',
    ],
    [['db', '--json'], 'db', 'Not enough non-option arguments: got 0, need at least 1'],
    [
      ['migrate', 'down', '--to', '0', '--step', '1', '--json'],
      'migrate down',
      'Arguments to and step are mutually exclusive',
    ],
    [['seed', '--count', 'x', '--bogus', '--json'], 'seed', 'Unknown argument: --bogus'],
  ])('usage error %j with --json: one USAGE document, exit 2', async (args, command, message) => {
    const run = await cli(args)
    expect(run.code).toBe(2)
    expect(JSON.parse(run.stdout)).toStrictEqual({
      ok: false,
      command,
      error: { code: 'USAGE', exitCode: 2, message, hint: USAGE_HINT },
    })
  })

  test('a usage error without --json is text on stderr only', async () => {
    const run = await cli(['migrate', 'create'])
    expect([run.code, run.stdout]).toStrictEqual([2, ''])
    expect(run.stderr).toBe(
      `error: Not enough non-option arguments: got 0, need at least 1\nhint: ${USAGE_HINT}\n`,
    )
  })
})

describe('parseGlobalFlags: the output flags before yargs has the full parse', () => {
  test.each([
    [
      ['migrate', 'create', '--json'],
      { json: true, quiet: false, verbose: false },
      'migrate create',
    ],
    [['--quiet', 'migrate', '--no-json'], { json: false, quiet: true, verbose: false }, 'migrate'],
    [['--yes', 'db', '--verbose'], { json: false, quiet: false, verbose: true }, 'db'],
    [['migrate', '--json=false'], { json: false, quiet: false, verbose: false }, 'migrate'],
  ])('%j', (args, mode, command) => {
    expect(parseGlobalFlags(args)).toStrictEqual({ mode, command })
  })
})
