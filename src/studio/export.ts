/**
 * The export formats of a browse result, written a page at a time: the server never holds more than one
 * page of items (docs/studio.md, "Export").
 */

/** Pages of plain JSON items, as the api yields them. */
export type Pages = AsyncIterable<Record<string, unknown>[]>

/** A JSON array of every item, one item per line. */
export async function* jsonExport(pages: Pages): AsyncGenerator<string> {
  let first = true
  yield '['
  for await (const page of pages) {
    for (const item of page) {
      yield `${first ? '\n' : ',\n'}${JSON.stringify(item)}`
      first = false
    }
  }
  yield first ? ']\n' : '\n]\n'
}

/**
 * CSV (RFC 4180, CRLF lines). The columns are `keyNames`, then every other attribute of the first page,
 * sorted; an attribute first seen later goes into the last column, `_other`, as a JSON object of those
 * attributes (so nothing is dropped and the header never changes mid-stream). Strings are written as
 * they are, numbers and booleans as text, null as empty, lists and maps as JSON.
 */
export async function* csvExport(
  pages: Pages,
  keyNames: readonly string[],
): AsyncGenerator<string> {
  let columns: string[] | undefined
  let hasOther = false
  for await (const page of pages) {
    if (columns === undefined) {
      const rest = new Set<string>()
      for (const item of page) for (const k of Object.keys(item)) rest.add(k)
      for (const k of keyNames) rest.delete(k)
      columns = [...keyNames, ...[...rest].sort()]
      hasOther = true
      yield `${[...columns, '_other'].map(csvCell).join(',')}\r\n`
    }
    const known = new Set(columns)
    let chunk = ''
    for (const item of page) {
      const other = Object.fromEntries(Object.entries(item).filter(([k]) => !known.has(k)))
      const cells = columns.map((c) => csvCell(item[c]))
      cells.push(Object.keys(other).length === 0 ? '' : csvCell(JSON.stringify(other)))
      chunk += `${cells.join(',')}\r\n`
    }
    yield chunk
  }
  if (!hasOther) yield `${[...keyNames, '_other'].map(csvCell).join(',')}\r\n`
}

/** One CSV cell: quoted when it holds a comma, a quote or a line break. */
export function csvCell(value: unknown): string {
  const text =
    value === undefined || value === null
      ? ''
      : typeof value === 'string'
        ? value
        : typeof value === 'number' || typeof value === 'boolean'
          ? String(value)
          : JSON.stringify(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
