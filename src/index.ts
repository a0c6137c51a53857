/** The typed library API of ddbm: everything the CLI does, for test suites and scripts. */
export { validate, type ValidateResult } from './api/validate.js'
export {
  localStart,
  localStop,
  localStatus,
  type LocalStatus,
  type LocalStartOptions,
} from './api/local.js'
export {
  openSession,
  withSession,
  type Session,
  type SessionOptions,
  type ProjectOptions,
} from './api/session.js'
export { DdbmError, ERRORS, isDdbmError, type ErrorCode } from './errors.js'
export type { Event, Emit } from './events.js'
export type { Issue } from './schema/issues.js'
export { TableSchema } from './schema/table-schema.js'
export { ConfigFile } from './config/config-file.js'
export { physicalName, logicalName } from './config/table-names.js'
export { VERSION } from './version.js'
