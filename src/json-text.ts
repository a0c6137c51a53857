/**
 * JSON text as users write it: parsing with line and column for syntax errors, and the place of a JSON path
 * in the text. Pure (text in, data out); config/ and schema/ both use it, so it sits at the top of src/.
 */
import type { Issue } from './issues.js'

/**
 * Parses a user's JSON file. A syntax error becomes one Issue with line and column (where Node reports a
 * position) and a hint; an empty file is an Issue with `emptyHint`. Never throws.
 */
export function parseJson(
  text: string,
  file: string,
  emptyHint: string,
): { data: unknown } | { issue: Issue } {
  const body = text.replace(/^\uFEFF/, '')
  if (body.trim() === '') {
    const hint = emptyHint
    return { issue: { file, path: '', message: 'is empty', hint } }
  }
  try {
    return { data: JSON.parse(body) }
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err)
    const reason = raw
      .replace(/\s*in JSON at position \d+.*$/s, '')
      .replace(/, ".*" is not valid JSON$/s, '')
    const match = /at position (\d+)/.exec(raw)
    const pos =
      match?.[1] !== undefined ? Number(match[1]) : /end of JSON/.test(raw) ? body.length : -1
    const where = pos < 0 ? '' : ` (${lineColumn(body, pos)})`
    const at = pos < 0 ? 'the JSON syntax' : `the JSON syntax at ${lineColumn(body, pos)}`
    return {
      issue: {
        file,
        path: '',
        message: `is not valid JSON: ${reason}${where}`,
        hint: `fix ${at}; JSON allows no comments, no trailing commas and only double-quoted strings`,
      },
    }
  }
}

function lineColumn(text: string, pos: number): string {
  const before = text.slice(0, pos)
  const line = before.split('\n').length
  const column = pos - before.lastIndexOf('\n')
  return `line ${line}, column ${column}`
}

/**
 * Where the member at `path` (in the form of `jsonPath`: `environments.local.endpoint`, `Tags[0]`) starts in
 * JSON `text`: its key for an object member, the element for an array item, as `line L, column C`. A path
 * that is not in the text (a missing property) gives the place of its nearest ancestor that is; the root,
 * text that is not valid JSON, or a path with no located ancestor give undefined.
 */
export function locateJsonPath(text: string, path: string): string | undefined {
  const body = text.replace(/^\uFEFF/, '')
  let positions: Map<string, number>
  try {
    positions = jsonPositions(body)
  } catch {
    return undefined
  }
  for (let p = path; p !== ''; p = parentPath(p)) {
    const pos = positions.get(p)
    if (pos !== undefined) return lineColumn(body, pos)
  }
  return undefined
}

/** `a.b[0].c` → `a.b[0]` → `a.b` → `a` → ''. */
function parentPath(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['))
  return cut <= 0 ? '' : path.slice(0, cut)
}

/** The start offset of every member and element of a JSON text, by JSON path. Throws on invalid JSON. */
function jsonPositions(text: string): Map<string, number> {
  const positions = new Map<string, number>()
  let i = 0
  const ws = () => {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++
  }
  const expect = (c: string) => {
    if (text[i] !== c) throw new Error(`expected ${c} at ${i}`)
    i++
  }
  const string = (): string => {
    const start = i
    expect('"')
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1
    expect('"')
    return JSON.parse(text.slice(start, i)) as string
  }
  const value = (path: string): void => {
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      ws()
      if (text[i] === '}') return void i++
      for (;;) {
        ws()
        const at = i
        const key = string()
        const child = path === '' ? key : `${path}.${key}`
        positions.set(child, at)
        ws()
        expect(':')
        value(child)
        ws()
        if (text[i] === ',') i++
        else return expect('}')
      }
    }
    if (c === '[') {
      i++
      ws()
      if (text[i] === ']') return void i++
      for (let n = 0; ; n++) {
        ws()
        positions.set(`${path}[${n}]`, i)
        value(`${path}[${n}]`)
        ws()
        if (text[i] === ',') i++
        else return expect(']')
      }
    }
    if (c === '"') return void string()
    const start = i
    while (i < text.length && !/[\s,\]}]/.test(text[i] ?? '')) i++
    if (i === start) throw new Error(`unexpected ${c ?? 'end'} at ${i}`)
  }
  value('')
  return positions
}
