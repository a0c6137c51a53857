import { describe, expect, test } from 'vitest'
import { COLOR, colorEnabled, PLAIN } from '../../../src/cli/style.js'

const tty = { isTTY: true }
const pipe = {}

describe('colorEnabled', () => {
  test.each([
    ['a terminal', tty, {}, false, true],
    ['a pipe or file', pipe, {}, false, false],
    ['--json, even on a terminal', tty, {}, true, false],
    ['--json wins over FORCE_COLOR', pipe, { FORCE_COLOR: '1' }, true, false],
    ['NO_COLOR=1 on a terminal', tty, { NO_COLOR: '1' }, false, false],
    ['NO_COLOR with any non-empty value', tty, { NO_COLOR: 'false' }, false, false],
    ['an empty NO_COLOR is not set', tty, { NO_COLOR: '' }, false, true],
    ['NO_COLOR wins over FORCE_COLOR', tty, { NO_COLOR: '1', FORCE_COLOR: '1' }, false, false],
    ['FORCE_COLOR colours a pipe (CI logs)', pipe, { FORCE_COLOR: '1' }, false, true],
    ['an empty FORCE_COLOR forces too', pipe, { FORCE_COLOR: '' }, false, true],
    ['FORCE_COLOR=0 turns a terminal off', tty, { FORCE_COLOR: '0' }, false, false],
    ['FORCE_COLOR=false turns a terminal off', tty, { FORCE_COLOR: 'false' }, false, false],
    ['TERM=dumb', tty, { TERM: 'dumb' }, false, false],
  ])('%s', (_name, stream, env, json, expected) => {
    expect(colorEnabled(stream, env, json)).toBe(expected)
  })
})

describe('Style', () => {
  test('status words take the colour of their meaning; unknown words and PLAIN stay as they are', () => {
    expect(
      ['ok', 'applied', 'drift', 'failed', 'unsupported', 'pending', 'skipped', 'other'].map((w) =>
        COLOR.status(w),
      ),
    ).toStrictEqual([
      '\x1b[32mok\x1b[39m',
      '\x1b[32mapplied\x1b[39m',
      '\x1b[31mdrift\x1b[39m',
      '\x1b[31mfailed\x1b[39m',
      '\x1b[33munsupported\x1b[39m',
      '\x1b[33mpending\x1b[39m',
      '\x1b[2mskipped\x1b[22m',
      'other',
    ])
    expect(COLOR.status('drift', '2 drift')).toBe('\x1b[31m2 drift\x1b[39m')
    expect(COLOR.status('constructor')).toBe('constructor')
    expect(PLAIN.status('drift')).toBe('drift')
    expect(PLAIN.bad('error:')).toBe('error:')
  })
})
