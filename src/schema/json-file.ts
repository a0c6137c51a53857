/** Parsing of users' JSON files: lives in the leaf-level src/json-text.ts, which config/ shares. */
export { locateJsonPath, parseJson } from '../json-text.js'
