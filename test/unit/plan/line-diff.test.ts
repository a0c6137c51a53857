import { describe, expect, test } from 'vitest'
import { lineDiff } from '../../../src/plan/line-diff.js'

const text = (...lines: string[]) => `${lines.join('\n')}\n`

describe('lineDiff', () => {
  test('equal texts give no lines', () => {
    expect(lineDiff(text('a', 'b'), text('a', 'b'))).toStrictEqual([])
    expect(lineDiff('', '')).toStrictEqual([])
  })

  test('a removed line in the middle, with 3 lines of context each side', () => {
    const before = text('1', '2', '3', '4', 'gone', '5', '6', '7', '8')
    const after = text('1', '2', '3', '4', '5', '6', '7', '8')
    expect(lineDiff(before, after)).toStrictEqual([
      '@@ -2,7 +2,6 @@',
      ' 2',
      ' 3',
      ' 4',
      '-gone',
      ' 5',
      ' 6',
      ' 7',
    ])
  })

  test('a changed line shows the old one removed, then the new one added', () => {
    expect(lineDiff(text('a', 'b', 'c'), text('a', 'B', 'c'), 1)).toStrictEqual([
      '@@ -1,3 +1,3 @@',
      ' a',
      '-b',
      '+B',
      ' c',
    ])
  })

  test('changes far apart make two hunks; close ones share one', () => {
    const before = text('a', 'x', 'b', 'c', 'd', 'e', 'f', 'y', 'g')
    const after = text('a', 'X', 'b', 'c', 'd', 'e', 'f', 'Y', 'g')
    expect(lineDiff(before, after, 1)).toStrictEqual([
      '@@ -1,3 +1,3 @@',
      ' a',
      '-x',
      '+X',
      ' b',
      '@@ -7,3 +7,3 @@',
      ' f',
      '-y',
      '+Y',
      ' g',
    ])
    const one = lineDiff(before, after, 3)
    expect([one[0], one.length]).toStrictEqual(['@@ -1,9 +1,9 @@', 12])
  })

  test('a new file is all added lines; an emptied one all removed', () => {
    expect(lineDiff('', text('{', '}'))).toStrictEqual(['@@ -0,0 +1,2 @@', '+{', '+}'])
    expect(lineDiff(text('{', '}'), '')).toStrictEqual(['@@ -1,2 +0,0 @@', '-{', '-}'])
  })
})
