import { describe, expect, test } from 'vitest'
import { definitionIssues } from '../../../src/seed/definition-shape.js'

const FILE = 'seeds/Customers.seed.ts'
const generate = () => ({})

describe('definitionIssues', () => {
  test('valid definitions: one count, or a per-environment count with default', () => {
    expect(definitionIssues({ table: 'A', count: 5, generate }, FILE)).toStrictEqual([])
    const full = {
      table: 'A',
      count: { default: 5, staging: 500 },
      environments: ['local'],
      dependsOn: ['B'],
      summarizeBy: 'status',
      generate,
    }
    expect(definitionIssues(full, FILE)).toStrictEqual([])
  })

  test('no default export', () => {
    expect(definitionIssues(undefined, FILE)).toStrictEqual([
      {
        file: FILE,
        path: '',
        message: 'has no default export',
        hint: "add `export default defineSeed({ table: '...', count: 100, generate: ({ faker, i }) => ({ ... }) })`",
      },
    ])
  })

  test('a misspelt property gets a did-you-mean hint, and is not also reported missing', () => {
    expect(definitionIssues({ table: 'A', cuont: 5, generate }, FILE)).toStrictEqual([
      {
        file: FILE,
        path: 'cuont',
        message: 'unknown property "cuont"',
        hint: 'did you mean "count"? allowed properties: "count", "table", "generate", "dependsOn", "environments", "summarizeBy"',
      },
    ])
  })

  test('count: a positive whole number, or a map with default; generate: a function', () => {
    const issues = definitionIssues({ table: 'A', count: 0, generate: 'x' }, FILE)
    expect(issues).toStrictEqual([
      {
        file: FILE,
        path: 'count',
        message: '0 is too small; it must be greater than 0',
        hint: 'use a value greater than 0, e.g. 500 (or { default: 500, staging: 50_000 })',
      },
      {
        file: FILE,
        path: 'generate',
        message: 'expected a function, e.g. ({ faker, i }) => ({ ... })',
        hint: "see ddbm's docs/seeding.md for the format of a seed",
      },
    ])
    expect(
      definitionIssues({ table: 'A', count: { staging: 5, dev: 1.5 }, generate }, FILE),
    ).toStrictEqual([
      {
        file: FILE,
        path: 'count.default',
        message: 'missing required property "default"',
        hint: 'add "default": 500',
      },
      {
        file: FILE,
        path: 'count.dev',
        message: 'expected a whole number, found 1.5',
        hint: 'write a whole number, e.g. 5',
      },
    ])
    expect(definitionIssues({ table: 'A', count: '5', generate }, FILE)[0]).toStrictEqual({
      file: FILE,
      path: 'count',
      message: 'expected a number, found "5"',
      hint: 'write 5 without quotes',
    })
  })
})
