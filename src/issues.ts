/**
 * A problem found in a user's file. `file` is relative to the project root with forward slashes
 * (`schemas/Orders.json`); `path` is the JSON path inside the file (`GlobalSecondaryIndexes[1].KeySchema`),
 * empty for the file as a whole. Validation gathers every Issue before failing. A leaf module: config,
 * schema, errors and the CLI all use this one type.
 */
export type Issue = { file: string; path: string; message: string; hint?: string }

/** JSON path text for a zod-style path: ['A', 1, 'B'] → `A[1].B`; [] → ''. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out === '' ? String(part) : `.${String(part)}`
  }
  return out
}

/** `file: path: message` plus an indented `hint:` line; the format `ddbm validate` prints. */
export function formatIssue(issue: Issue): string {
  const where = issue.path === '' ? issue.file : `${issue.file}: ${issue.path}`
  const head = `${where}: ${issue.message}`
  return issue.hint === undefined ? head : `${head}\n  hint: ${issue.hint}`
}

/** Stable order: by file, then path (numbers compared as numbers), then message. */
export function sortIssues(issues: readonly Issue[]): Issue[] {
  return [...issues].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.path.localeCompare(b.path, undefined, { numeric: true }) ||
      a.message.localeCompare(b.message),
  )
}
