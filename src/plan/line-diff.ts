/**
 * A unified diff of two texts, line by line: `@@ -a,b +c,d @@` hunk headers, then the lines of each hunk
 * prefixed `' '` (kept), `-` (only in `before`) or `+` (only in `after`), with `context` kept lines around
 * each change (default 3; hunks whose context overlaps are merged). Empty when the texts are equal. The
 * lines removed and added are a longest common subsequence's complement, so a change shows as few lines
 * as possible; within a change, removed lines come before added ones. A final newline adds no line. Pure;
 * quadratic in the number of lines, meant for schema files (a few hundred lines).
 */
export function lineDiff(before: string, after: string, context = 3): string[] {
  const a = lines(before)
  const b = lines(after)
  const edits = editScript(a, b)
  if (edits.every((e) => e.kind === ' ')) return []
  const out: string[] = []
  // Indexes into `edits` of the changed lines, grouped into hunks.
  const changed = edits.flatMap((e, i) => (e.kind === ' ' ? [] : [i]))
  let start = 0
  while (start < changed.length) {
    let end = start
    while (
      end + 1 < changed.length &&
      (changed[end + 1] as number) - (changed[end] as number) <= 2 * context + 1
    ) {
      end++
    }
    const from = Math.max(0, (changed[start] as number) - context)
    const to = Math.min(edits.length, (changed[end] as number) + context + 1)
    const hunk = edits.slice(from, to)
    const first = edits[from] as Edit
    const oldCount = hunk.filter((e) => e.kind !== '+').length
    const newCount = hunk.filter((e) => e.kind !== '-').length
    out.push(
      `@@ -${range(first.oldLine, oldCount)} +${range(first.newLine, newCount)} @@`,
      ...hunk.map((e) => `${e.kind}${e.text}`),
    )
    start = end + 1
  }
  return out
}

/** One line of the edit script, with the 1-based line numbers it has (or would have) on each side. */
type Edit = { kind: ' ' | '-' | '+'; text: string; oldLine: number; newLine: number }

function lines(text: string): string[] {
  if (text === '') return []
  const all = text.split('\n')
  if (all.at(-1) === '') all.pop()
  return all
}

function editScript(a: readonly string[], b: readonly string[]): Edit[] {
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () =>
    new Array<number>(b.length + 1).fill(0),
  )
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = lcs[i] as number[]
      const next = lcs[i + 1] as number[]
      row[j] =
        a[i] === b[j]
          ? (next[j + 1] as number) + 1
          : Math.max(next[j] as number, row[j + 1] as number)
    }
  }
  const edits: Edit[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      edits.push({ kind: ' ', text: a[i] as string, oldLine: i + 1, newLine: j + 1 })
      i++
      j++
    } else if (
      j >= b.length ||
      (i < a.length && (lcs[i + 1]?.[j] as number) >= (lcs[i]?.[j + 1] as number))
    ) {
      edits.push({ kind: '-', text: a[i] as string, oldLine: i + 1, newLine: j + 1 })
      i++
    } else {
      edits.push({ kind: '+', text: b[j] as string, oldLine: i + 1, newLine: j + 1 })
      j++
    }
  }
  return edits
}

/** `start,count` of a hunk side; an empty side names the line before it, as `diff -u` does. */
function range(line: number, count: number): string {
  return count === 0 ? `${line - 1},0` : `${line},${count}`
}
