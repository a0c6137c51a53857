/**
 * The Issue model of schema/ (and of every validation): defined in the leaf module src/issues.ts, so that
 * config/ and errors.ts, which may not import schema/, share the one type.
 */
export { formatIssue, jsonPath, sortIssues, type Issue } from '../issues.js'
