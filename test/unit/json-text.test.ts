import { describe, expect, test } from 'vitest'
import { locateJsonPath, parseJson } from '../../src/json-text.js'

const TEXT = `{
  "version": 1,
  "environments": {
    "local": { "endpoint": "embedded", "regin": "x" },
    "dev": {
      "tags": [ "a",
        { "k": "v" } ]
    }
  },
  "name": "with \\"quotes\\" and } brackets ]"
}
`

describe('locateJsonPath', () => {
  test.each([
    ['version', 'line 2, column 3'],
    ['environments', 'line 3, column 3'],
    ['environments.local', 'line 4, column 5'],
    ['environments.local.regin', 'line 4, column 40'],
    ['environments.dev.tags[0]', 'line 6, column 17'],
    ['environments.dev.tags[1].k', 'line 7, column 11'],
    ['name', 'line 10, column 3'],
    // Missing members: the nearest ancestor that is there.
    ['environments.local.region', 'line 4, column 5'],
    ['environments.dev.tags[5]', 'line 6, column 7'],
  ])('%s → %s', (path, where) => {
    expect(locateJsonPath(TEXT, path)).toBe(where)
  })

  test('the root, a path with no ancestor in the file, and invalid JSON have no place', () => {
    expect(locateJsonPath(TEXT, '')).toBeUndefined()
    expect(locateJsonPath(TEXT, 'defaultEnv')).toBeUndefined()
    expect(locateJsonPath('{ "a": ', 'a')).toBeUndefined()
  })
})

describe('parseJson', () => {
  test('a syntax error gives line and column, not a character position', () => {
    expect(parseJson('{\n  "a": 1,\n}\n', 'x.json', 'unused')).toStrictEqual({
      issue: {
        file: 'x.json',
        path: '',
        message: 'is not valid JSON: Expected double-quoted property name (line 3, column 1)',
        hint: 'fix the JSON syntax at line 3, column 1; JSON allows no comments, no trailing commas and only double-quoted strings',
      },
    })
  })
})
