import { DdbmError } from '../errors.js'

/** `value` of option `flag` when it is a whole number of at least `min` (default 1); else USAGE. */
export function positiveInt(value: number, flag: string, min = 1): number {
  if (!Number.isInteger(value) || value < min) {
    throw new DdbmError(
      'USAGE',
      `${flag} must be a whole number of at least ${min} (got ${String(value)})`,
      {
        name: flag,
      },
    )
  }
  return value
}
