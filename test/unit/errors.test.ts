import { describe, expect, expectTypeOf, test } from 'vitest'
import { DdbmError, ERRORS, isDdbmError } from '../../src/errors.js'
import type { Issue } from '../../src/issues.js'

test('every code maps to an exit code of the README contract and carries a hint', () => {
  for (const [code, entry] of Object.entries(ERRORS)) {
    expect([1, 2, 3, 4, 130], code).toContain(entry.exit)
    expect(entry.hint.length, code).toBeGreaterThan(10)
  }
})

test('input and configuration problems exit 2; failed operations exit 1', () => {
  const byExit = (exit: number) =>
    Object.entries(ERRORS)
      .filter(([, e]) => e.exit === exit)
      .map(([code]) => code)
  expect(byExit(2)).toStrictEqual([
    'USAGE',
    'CONFIG_NOT_FOUND',
    'CONFIG_INVALID',
    'ENV_UNKNOWN',
    'ENDPOINT_INVALID',
    'SCHEMA_INVALID',
    'MIGRATION_INVALID',
    'SEED_INVALID',
    'INIT_EXISTS',
    'PULL_CONFLICT',
    'CHANGE_UNSUPPORTED',
    'PROTECTED_ENV',
    'ENV_MISMATCH',
    'SEED_REFUSED',
  ])
  expect(byExit(4)).toStrictEqual(['LOCK_HELD'])
})

test('an interruption exits as shells report its signal: 130 for SIGINT, 143 for SIGTERM', () => {
  const exit = (signal: 'SIGINT' | 'SIGTERM' | undefined) =>
    new DdbmError('INTERRUPTED', 'Interrupted', { signal }).exitCode
  expect([exit('SIGINT'), exit('SIGTERM'), exit(undefined)]).toStrictEqual([130, 143, 130])
})

test('DdbmError keeps its cause, and a hint given at the throw site wins', () => {
  const cause = new Error('socket hang up')
  const err = new DdbmError(
    'AWS_FAILED',
    'ListTables failed',
    { op: 'ListTables' },
    { cause, hint: 'retry' },
  )
  expect([err.code, err.exitCode, err.hint, err.cause, err.details]).toStrictEqual([
    'AWS_FAILED',
    1,
    'retry',
    cause,
    { op: 'ListTables' },
  ])
  expect(new DdbmError('LOCAL_NOT_RUNNING', 'x').hint).toBe(ERRORS.LOCAL_NOT_RUNNING.hint)
})

describe('details are typed per code', () => {
  const issue: Issue = { file: 'schemas/A.json', path: 'KeySchema', message: 'missing' }

  test('a code with catalogued details is checked at the throw site, extra fields allowed', () => {
    const held = new DdbmError('LOCK_HELD', 'held', {
      holder: 'ci@runner pid 7',
      since: '2026-01-01T00:00:00.000Z',
      waitedMs: 1500,
      table: 'ddbm_migrations',
    })
    expectTypeOf(held.details.waitedMs).toEqualTypeOf<number>()
    expect(held.details).toStrictEqual({
      holder: 'ci@runner pid 7',
      since: '2026-01-01T00:00:00.000Z',
      waitedMs: 1500,
      table: 'ddbm_migrations',
    })
    // @ts-expect-error LOCK_HELD is thrown with its holder, since and waitedMs
    expect(new DdbmError('LOCK_HELD', 'held').details).toBeUndefined()
    // @ts-expect-error waitedMs is a number of milliseconds
    void new DdbmError('LOCK_HELD', 'held', { holder: 'a', since: 'b', waitedMs: '5' })
    // @ts-expect-error SCHEMA_INVALID carries its issues
    void new DdbmError('SCHEMA_INVALID', '1 problem', { problems: [issue] })
  })

  test('codes without catalogued details take none, or free-form ones', () => {
    expect(new DdbmError('NOT_IMPLEMENTED', 'later').details).toBeUndefined()
    expect(
      new DdbmError('JAVA_MISSING', 'no java', { java: '/usr/bin/java' }).details,
    ).toStrictEqual({ java: '/usr/bin/java' })
  })

  test('isDdbmError with codes narrows the details to those codes', () => {
    const err: unknown = new DdbmError('SCHEMA_INVALID', '1 problem found', { issues: [issue] })
    expect(isDdbmError(err, 'VERIFY_DRIFT')).toBe(false)
    expect(isDdbmError(err)).toBe(true)
    if (!isDdbmError(err, 'CONFIG_INVALID', 'SCHEMA_INVALID')) throw new Error('not narrowed')
    expectTypeOf(err.details.issues).toEqualTypeOf<readonly Issue[] | undefined>()
    expect(err.details.issues).toStrictEqual([issue])
  })
})
