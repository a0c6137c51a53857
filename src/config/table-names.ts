import type { Issue } from '../issues.js'
import { DEFAULT_TABLE_NAME_TEMPLATE, type ConfigFile } from './config-file.js'

/**
 * Physical table name for `logical` in `env`: every `{table}` and `{env}` in the template is replaced.
 * `physicalName('Candidates', 'prod', 'maip-{env}-{table}')` → `maip-prod-Candidates`.
 */
export function physicalName(
  logical: string,
  env: string,
  template: string = DEFAULT_TABLE_NAME_TEMPLATE,
): string {
  return template.replaceAll('{table}', logical).replaceAll('{env}', env)
}

/**
 * Logical name of a physical one, or undefined when `physical` does not follow the template for `env`.
 * Inverse of physicalName; used to map live tables back to schemas/.
 */
export function logicalName(
  physical: string,
  env: string,
  template: string = DEFAULT_TABLE_NAME_TEMPLATE,
): string | undefined {
  const [before, after] = template.replaceAll('{env}', env).split('{table}', 2) as [string, string?]
  if (after === undefined || after.includes('{table}')) return undefined
  if (!physical.startsWith(before) || !physical.endsWith(after)) return undefined
  const logical = physical.slice(before.length, physical.length - after.length)
  return logical === '' ? undefined : logical
}

const NAME = /^[a-zA-Z0-9_.-]{3,255}$/

/**
 * Physical names that DynamoDB would refuse (3-255 chars of [a-zA-Z0-9_.-]) for any environment's template,
 * including the meta table. Pure; `file` labels the config file in the issues.
 */
export function checkPhysicalNames(
  logicalNames: readonly string[],
  config: ConfigFile,
  file: string,
): Issue[] {
  const issues: Issue[] = []
  for (const [env, settings] of Object.entries(config.environments)) {
    const template = settings.tableNameTemplate ?? config.tableNameTemplate
    const path =
      settings.tableNameTemplate === undefined
        ? 'tableNameTemplate'
        : `environments.${env}.tableNameTemplate`
    for (const logical of [...logicalNames, config.metaTable]) {
      const physical = physicalName(logical, env, template)
      if (NAME.test(physical)) continue
      issues.push({
        file,
        path,
        message: `table "${logical}" in environment "${env}" would be named "${physical}", which DynamoDB refuses (3-255 chars of [a-zA-Z0-9_.-])`,
        hint: 'Shorten the template or the table name, and use only letters, digits, "_", "." and "-".',
      })
    }
  }
  return issues
}
