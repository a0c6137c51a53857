import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** The ddbm package version (printed by --version, recorded in the meta table). */
export const VERSION: string = (require('../package.json') as { version: string }).version
