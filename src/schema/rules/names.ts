import { chars, indexes, q, rule, type Add } from './rule.js'

const NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/

/**
 * Reports through `add`, at `path`, a name that is not 3-255 characters of [a-zA-Z0-9_.-]; `what` names
 * the kind of name in the message ("index"), `hintTail` is appended to the hint.
 */
export function checkName(name: string, what: string, path: string, add: Add, hintTail = ''): void {
  if (name !== '' && !NAME_PATTERN.test(name)) {
    const fixed = q(name.replace(/[^a-zA-Z0-9_.-]+/g, '-'))
    const hint = `use only letters, digits, "_", "-" and ".", e.g. ${fixed}${hintTail}`
    return add(path, `${q(name)} has characters outside [a-zA-Z0-9_.-]`, hint)
  }
  const length = chars(name)
  if (length >= 3 && length <= 255) return
  const hint = length < 3 ? 'use a name of at least 3 characters' : 'shorten it to 255 characters'
  const long = `${length} character${length === 1 ? '' : 's'} long`
  add(path, `${q(name)} is ${long}; ${what} names are 3-255`, hint + hintTail)
}

/** TableName is 3-255 characters of [a-zA-Z0-9_.-]. */
export const tableName = rule((table, add) =>
  checkName(table.TableName, 'table', 'TableName', add, ', and rename the file to match'),
)

/** Every IndexName is 3-255 characters of [a-zA-Z0-9_.-]. */
export const indexNames = rule((table, add) => {
  for (const r of indexes(table)) checkName(r.index.IndexName, 'index', `${r.path}.IndexName`, add)
})

/** No two indexes of a table (GSIs and LSIs together) share a name. */
export const uniqueIndexNames = rule((table, add) => {
  const first = new Map<string, string>()
  for (const { path, index } of indexes(table)) {
    const earlier = first.get(index.IndexName)
    if (earlier === undefined) {
      first.set(index.IndexName, path)
      continue
    }
    const hint = 'rename one of them: index names are unique across the GSIs and LSIs of a table'
    add(`${path}.IndexName`, `${q(index.IndexName)} is already the name of ${earlier}`, hint)
  }
})
