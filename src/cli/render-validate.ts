import type { ValidateResult } from '../api/index.js'
import { PLAIN, type Style } from './style.js'
import { table } from './table.js'

/** The human report of `ddbm validate`: a headline, then each table with its physical name and file. */
export function renderValidate(r: ValidateResult, style: Style = PLAIN): string {
  const n = r.tables.length
  return [
    `${style.good('ok')}: ${n} table schema${n === 1 ? '' : 's'} valid; names in "${r.env}":`,
    ...table(
      [{ header: 'table' }, { header: 'physical name' }, { header: 'file' }],
      r.tables.map((t) => [t.name, t.physicalName, t.file]),
      style,
    ).map((line) => `  ${line}`),
  ].join('\n')
}
