import { stripVTControlCharacters } from 'node:util'
import { PLAIN, type Style } from './style.js'

/** A column: its header, and whether its cells line up on the right (numbers). */
export type Column = { header: string; align?: 'left' | 'right' }

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' })
const WIDE =
  /\p{Extended_Pictographic}|[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u
const ZERO = /^[\p{Mn}\p{Me}\p{Cf}]+$/u

/**
 * Columns a string takes on a terminal: escape codes count nothing, a grapheme cluster counts one column,
 * two for East Asian wide and fullwidth characters and emoji, none for lone combining marks.
 */
export function displayWidth(text: string): number {
  let width = 0
  for (const { segment } of segmenter.segment(stripVTControlCharacters(text))) {
    if (ZERO.test(segment)) continue
    width += WIDE.test(segment) ? 2 : 1
  }
  return width
}

/**
 * Renders rows under a header as aligned text lines (the header first, then one line per row). Columns
 * are as wide as their widest cell by display width, so cells may carry colour; nothing is truncated; two
 * spaces separate columns; lines have no trailing spaces. The header is bold when `style` has colour.
 */
export function table(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  style: Style = PLAIN,
): string[] {
  const widths = columns.map((c, i) =>
    Math.max(displayWidth(c.header), ...rows.map((r) => displayWidth(r[i] ?? ''))),
  )
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? ''
        const pad = ' '.repeat((widths[i] ?? 0) - displayWidth(cell))
        return c.align === 'right' ? pad + cell : cell + pad
      })
      .join('  ')
      .trimEnd()
  return [style.bold(line(columns.map((c) => c.header))), ...rows.map(line)]
}
