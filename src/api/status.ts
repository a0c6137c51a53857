import { migrateStatus } from './migrate-admin.js'

/**
 * The library's name for {@link migrateStatus} (`ddbm migrate status`): the same function, options and
 * result (every migration with its state, who applied it and when, and the lock). Read-only.
 */
export const status: typeof migrateStatus = migrateStatus
