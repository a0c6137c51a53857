import { describe, expect, test } from 'vitest'
import { COLOR, PLAIN } from '../../../src/cli/style.js'
import { displayWidth, table } from '../../../src/cli/table.js'

describe('displayWidth', () => {
  test.each([
    ['plain', 'Candidates-local', 16],
    ['escape codes count nothing', '\x1b[32mok\x1b[39m', 2],
    ['CJK characters take two columns', '表格', 4],
    ['an emoji takes two columns', 'ok ✅', 5],
    ['a combining accent joins its letter', 'e\u0301t\u00e9', 3],
    ['empty', '', 0],
  ])('%s', (_name, text, width) => {
    expect(displayWidth(text)).toBe(width)
  })
})

describe('table', () => {
  test('columns padded to the widest cell, numbers on the right, no trailing spaces, nothing cut', () => {
    const lines = table(
      [{ header: 'table' }, { header: 'written', align: 'right' }, { header: 'note' }],
      [
        ['a-very-long-physical-table-name-that-is-not-truncated', '1,000', ''],
        ['表格', '5', 'x'],
      ],
    )
    expect(lines).toStrictEqual([
      'table                                                  written  note',
      'a-very-long-physical-table-name-that-is-not-truncated    1,000',
      '表格                                                         5  x',
    ])
  })

  test('coloured cells line up with plain ones; the header is bold only with colour', () => {
    const rows = [
      ['Orders', COLOR.status('drift')],
      ['Customers', 'ok'],
    ]
    const lines = table([{ header: 'table' }, { header: 'status' }], rows, COLOR)
    expect(lines).toStrictEqual([
      '\x1b[1mtable      status\x1b[22m',
      'Orders     \x1b[31mdrift\x1b[39m',
      'Customers  ok',
    ])
    expect(table([{ header: 'table' }], [], PLAIN)).toStrictEqual(['table'])
  })
})
