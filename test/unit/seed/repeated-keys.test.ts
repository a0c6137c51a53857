import { expect, test } from 'vitest'
import { hash53 } from '../../../src/seed/keys.js'
import { KeyHashes } from '../../../src/seed/repeated-keys.js'

test('the hashes seen twice, across growth of the array', () => {
  const hashes = new KeyHashes()
  for (let i = 0; i < 5000; i++) hashes.add(hash53(`key#${i % 4000}`))
  const repeated = hashes.repeated()
  expect(repeated.size).toBe(1000)
  expect(repeated.has(hash53('key#0'))).toBe(true)
  expect(repeated.has(hash53('key#3999'))).toBe(false)
  expect(new KeyHashes().repeated()).toStrictEqual(new Set())
})
