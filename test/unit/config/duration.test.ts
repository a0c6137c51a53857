import { expect, test } from 'vitest'
import { ConfigFile } from '../../../src/config/config-file.js'
import { durationMs } from '../../../src/config/duration.js'

test.each([
  [0, 0],
  ['500ms', 500],
  ['2s', 2_000],
  ['10m', 600_000],
  ['1.5h', 5_400_000],
] as const)('%s → %i ms', (value, ms) => {
  expect(durationMs(value)).toBe(ms)
})

test('local.idleTimeout: "10m" by default; a duration or 0; anything else is refused at its path', () => {
  const base = { version: 1, environments: { local: { endpoint: 'embedded' } } }
  const parsed = (idleTimeout?: unknown) => {
    const result = ConfigFile.safeParse(
      idleTimeout === undefined ? base : { ...base, local: { idleTimeout } },
    )
    return result.success
      ? result.data.local.idleTimeout
      : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
  }
  expect([parsed(), parsed('30s'), parsed(0), parsed('10 minutes'), parsed(600)]).toStrictEqual([
    '10m',
    '30s',
    0,
    [
      'local.idleTimeout: must be a duration such as "30s", "10m" or "1h", or 0 (stop when the command ends)',
    ],
    [
      'local.idleTimeout: must be a duration such as "30s", "10m" or "1h", or 0 (stop when the command ends)',
    ],
  ])
})
