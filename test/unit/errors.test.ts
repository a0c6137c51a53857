import { expect, test } from 'vitest'
import { DdbmError, ERRORS } from '../../src/errors.js'

test('every code maps to an exit code of DESIGN.md and carries a hint', () => {
  for (const [code, entry] of Object.entries(ERRORS)) {
    expect([1, 2, 3, 4], code).toContain(entry.exit)
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
    'CHANGE_UNSUPPORTED',
  ])
  expect(byExit(4)).toStrictEqual(['LOCK_HELD'])
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
