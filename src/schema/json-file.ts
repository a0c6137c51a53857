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
