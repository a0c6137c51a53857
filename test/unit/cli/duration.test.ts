import { expect, test } from 'vitest'
import { formatDuration, parseDuration } from '../../../src/cli/duration.js'

test.each([
  ['500ms', 500],
  ['30s', 30_000],
  ['15m', 900_000],
  ['1h', 3_600_000],
  ['90', 90_000],
  ['1.5m', 90_000],
])('%s → %i ms', (text, ms) => {
  expect(parseDuration(text, '--lock-timeout')).toBe(ms)
})

test('anything else is a usage error with an example', () => {
  expect(() => parseDuration('ten minutes', '--lock-timeout')).toThrowError(
    expect.objectContaining({
      code: 'USAGE',
      message: '--lock-timeout "ten minutes" is not a duration',
      hint: 'Write e.g. --lock-timeout 30s, 15m or 1h.',
    }),
  )
})

test.each([
  [600_000, '10m'],
  [2_000, '2s'],
  [3_600_000, '1h'],
  [90_000, '90s'],
  [1_500, '1500ms'],
])('formatDuration(%i) is %s', (ms, text) => {
  expect(formatDuration(ms)).toBe(text)
})
