import { describe, expect, test } from 'vitest'
import { Reporter } from '../../../src/cli/reporter.js'
import { DdbmError } from '../../../src/errors.js'

function capture(mode: { json?: boolean; quiet?: boolean; verbose?: boolean }) {
  const out: string[] = []
  const err: string[] = []
  const reporter = new Reporter(
    { json: false, quiet: false, verbose: false, ...mode },
    { write: (t: string) => out.push(t) },
    { write: (t: string) => err.push(t) },
  )
  reporter.command = 'validate'
  return { reporter, out: () => out.join(''), err: () => err.join('') }
}

const invalid = new DdbmError('SCHEMA_INVALID', '1 problem found', {
  issues: [
    {
      file: 'schemas/Candidates.json',
      path: 'KeySchema[0].AttributeName',
      message: '"PK" is not in AttributeDefinitions',
      hint: 'add { "AttributeName": "PK", "AttributeType": "S" } to AttributeDefinitions',
    },
  ],
})

describe('Reporter', () => {
  test('json: the result is one document on stdout; logs go to stderr', () => {
    const c = capture({ json: true })
    c.reporter.emit({ kind: 'log', level: 'info', message: 'hello' })
    c.reporter.result({ tables: 2 }, 'human text')
    expect(JSON.parse(c.out())).toStrictEqual({
      ok: true,
      command: 'validate',
      result: { tables: 2 },
    })
    expect(c.err()).toBe('hello\n')
  })

  test('json: a failure is one error document with code, exit code and details', () => {
    const c = capture({ json: true })
    expect(c.reporter.fatal(invalid)).toBe(2)
    const doc = JSON.parse(c.out())
    expect(doc).toMatchObject({
      ok: false,
      command: 'validate',
      error: { code: 'SCHEMA_INVALID', exitCode: 2, message: '1 problem found' },
    })
    expect(doc.error.details.issues).toHaveLength(1)
  })

  test('human: issues as "file: path: message" with a hint line, then the error and its hint', () => {
    const c = capture({})
    expect(c.reporter.fatal(invalid)).toBe(2)
    expect(c.out()).toBe('')
    expect(c.err()).toMatchInlineSnapshot(`
      "schemas/Candidates.json: KeySchema[0].AttributeName: "PK" is not in AttributeDefinitions
        hint: add { "AttributeName": "PK", "AttributeType": "S" } to AttributeDefinitions
      error: 1 problem found
      hint: Fix every problem listed above, then run \`ddbm validate\`.
      "
    `)
  })

  test('stack traces only with --verbose; unknown errors are INTERNAL, exit 1', () => {
    const quiet = capture({})
    expect(quiet.reporter.fatal(new TypeError('boom'))).toBe(1)
    expect(quiet.err()).not.toContain('    at ')
    expect(quiet.err()).toContain('error: internal error: boom')
    const loud = capture({ verbose: true })
    loud.reporter.fatal(new TypeError('boom'))
    expect(loud.err()).toContain('    at ')
  })

  test('SDK service errors become AWS_FAILED', () => {
    const c = capture({})
    const sdkError = Object.assign(new Error('Requested resource not found'), {
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 400 },
    })
    expect(c.reporter.fatal(sdkError)).toBe(1)
    expect(c.err()).toContain('error: ResourceNotFoundException: Requested resource not found')
  })

  test('--quiet drops info logs but keeps warnings', () => {
    const c = capture({ quiet: true })
    c.reporter.emit({ kind: 'log', level: 'info', message: 'info' })
    c.reporter.emit({ kind: 'log', level: 'warn', message: 'careful' })
    expect(c.err()).toBe('warning: careful\n')
  })

  test('human: VERIFY_DRIFT shows the drift and pending rows of details.result before the error', () => {
    const c = capture({})
    const drift = new DdbmError('VERIFY_DRIFT', '1 drift in dev: Orders billing', {
      result: {
        env: 'dev',
        tables: [
          {
            table: 'Orders',
            physical: 'Orders-dev',
            checks: [
              { table: 'Orders', check: 'exists', status: 'ok' },
              {
                table: 'Orders',
                check: 'billing',
                status: 'drift',
                expected: 'PAY_PER_REQUEST',
                actual: 'PROVISIONED',
                detail: 'billing mode differs',
              },
            ],
          },
        ],
        summary: { ok: 1, drift: 1, pending: 0, unsupported: 0 },
      },
    })
    expect(c.reporter.fatal(drift)).toBe(3)
    expect(c.err()).toMatchInlineSnapshot(`
      "table   check    status  expected         actual
      Orders  billing  drift   PAY_PER_REQUEST  PROVISIONED
        ↳ billing mode differs
      dev: 1 table; 1 ok, 1 drift, 0 pending, 0 unsupported (the endpoint cannot answer)
      error: 1 drift in dev: Orders billing
      hint: Apply pending migrations with \`ddbm migrate up\`, write the migration schemas/ needs with \`ddbm migrate generate <name>\`, or fix the table by hand.
      "
    `)
  })
})

describe('Reporter: colour decided once from the streams and the environment given to it', () => {
  function streams(opts: {
    json?: boolean
    quiet?: boolean
    tty?: boolean
    env?: Record<string, string>
  }) {
    const out: string[] = []
    const err: string[] = []
    const reporter = new Reporter(
      { json: opts.json ?? false, quiet: opts.quiet ?? false, verbose: false },
      { write: (t: string) => out.push(t), isTTY: opts.tty ?? false },
      { write: (t: string) => err.push(t), isTTY: opts.tty ?? false },
      opts.env ?? {},
      { now: () => 0 },
    )
    reporter.command = 'verify'
    return { reporter, out: () => out.join(''), err: () => err.join('') }
  }
  const human = (style: { status: (w: string) => string }) => `Orders ${style.status('drift')}`
  const failure = new DdbmError('USAGE', 'bad flag')

  test('on a terminal: status words, warnings and the error line are coloured', () => {
    const c = streams({ tty: true })
    c.reporter.emit({ kind: 'log', level: 'warn', message: 'careful' })
    c.reporter.result({}, human)
    c.reporter.fatal(failure)
    expect(c.out()).toBe('Orders \x1b[31mdrift\x1b[39m\n')
    expect(c.err()).toBe(
      '\x1b[33mwarning:\x1b[39m careful\n' +
        '\x1b[2mdone in 0.0 s\x1b[22m\n' +
        '\x1b[31merror:\x1b[39m bad flag\n' +
        '\x1b[2mhint:\x1b[22m Run `ddbm --help` or `ddbm <command> --help` for the options.\n',
    )
  })

  test.each([
    ['a pipe', { tty: false }],
    ['NO_COLOR on a terminal', { tty: true, env: { NO_COLOR: '1' } }],
    ['TERM=dumb', { tty: true, env: { TERM: 'dumb' } }],
  ])('no escape codes on %s', (_name, opts) => {
    const c = streams(opts)
    c.reporter.emit({ kind: 'log', level: 'warn', message: 'careful' })
    c.reporter.result({}, human)
    c.reporter.fatal(failure)
    expect(c.out() + c.err()).not.toContain('\x1b[')
    expect(c.out()).toBe('Orders drift\n')
  })

  test('FORCE_COLOR colours a pipe; --json never colours, even forced on a terminal', () => {
    const forced = streams({ env: { FORCE_COLOR: '1' } })
    forced.reporter.result({}, human)
    expect(forced.out()).toBe('Orders \x1b[31mdrift\x1b[39m\n')
    const json = streams({ json: true, tty: true, env: { FORCE_COLOR: '1' } })
    json.reporter.emit({ kind: 'log', level: 'warn', message: 'careful' })
    json.reporter.result({ a: 1 }, human)
    expect(json.out() + json.err()).not.toContain('\x1b[')
    expect(json.err()).toBe('warning: careful\n')
  })

  test('--quiet: no result text, no progress; warnings, errors and the --json document remain', () => {
    const c = streams({ quiet: true })
    c.reporter.emit({ kind: 'local', status: 'starting', port: 8000 })
    c.reporter.emit({ kind: 'step', table: 'T', op: 'createTable', status: 'done' })
    c.reporter.emit({ kind: 'migration', name: '0001_a', direction: 'up', status: 'done' })
    c.reporter.emit({ kind: 'lock', status: 'acquired' })
    c.reporter.emit({ kind: 'seed', table: 'T', status: 'done', done: 5, seconds: 1 })
    c.reporter.emit({ kind: 'log', level: 'warn', message: 'careful' })
    c.reporter.result({ a: 1 }, () => 'the table')
    expect(c.out()).toBe('')
    expect(c.reporter.fatal(failure)).toBe(2)
    expect(c.err()).toBe(
      'warning: careful\nerror: bad flag\nhint: Run `ddbm --help` or `ddbm <command> --help` for the options.\n',
    )
    const json = streams({ quiet: true, json: true })
    json.reporter.emit({ kind: 'local', status: 'ready', port: 8000 })
    json.reporter.result({ a: 1 }, 'text')
    expect(JSON.parse(json.out())).toStrictEqual({ ok: true, command: 'verify', result: { a: 1 } })
    expect(json.err()).toBe('')
  })
})
