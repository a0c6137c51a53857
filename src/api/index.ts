/** The api layer's surface, for cli/ (which imports nothing else of ours but errors and events). */
export * from './validate.js'
export * from './local.js'
export * from './session.js'
export * from './migrate.js'
export * from './migrate-admin.js'
export * from './create-migration.js'
