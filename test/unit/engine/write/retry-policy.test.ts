import { describe, expect, test } from 'vitest'
import { classifyFailure, retryDelay } from '../../../../src/engine/write/retry-policy.js'

function sdkError(name: string, status?: number): Error {
  const err = new Error(`${name} happened`)
  err.name = name
  return Object.assign(err, status === undefined ? {} : { $metadata: { httpStatusCode: status } })
}

describe('classifyFailure', () => {
  test('by error name, then by HTTP status and socket code', () => {
    const cases: [unknown, string][] = [
      [sdkError('ProvisionedThroughputExceededException', 400), 'throttle'],
      [sdkError('ThrottlingException', 400), 'throttle'],
      [sdkError('RequestLimitExceeded', 400), 'throttle'],
      [sdkError('InternalServerError', 500), 'retryable'],
      [sdkError('SomethingNew', 503), 'retryable'],
      [Object.assign(new Error('reset'), { code: 'ECONNRESET' }), 'retryable'],
      [Object.assign(new Error('pipe'), { code: 'EPIPE' }), 'retryable'],
      [sdkError('TimeoutError'), 'retryable'],
      [sdkError('ValidationException', 400), 'item'],
      [sdkError('ConditionalCheckFailedException', 400), 'item'],
      [sdkError('ResourceNotFoundException', 400), 'fatal'],
      [sdkError('AccessDeniedException', 400), 'fatal'],
      [sdkError('UnrecognizedClientException', 400), 'fatal'],
      ['a string', 'item'],
    ]
    expect(cases.map(([err]) => classifyFailure(err))).toStrictEqual(cases.map(([, kind]) => kind))
  })
})

describe('retryDelay', () => {
  test('full jitter under a ceiling doubling from 50 ms, capped at 5 s', () => {
    const ceilings = [1, 2, 3, 4, 7, 8, 20].map((retry) => retryDelay(retry, () => 0.999999))
    expect(ceilings.map(Math.round)).toStrictEqual([50, 100, 200, 400, 3200, 5000, 5000])
    expect(retryDelay(3, () => 0)).toBe(0)
    expect(retryDelay(3, () => 0.5)).toBe(100)
  })
})
