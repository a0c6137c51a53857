import { createRequire, register } from 'node:module'
import Module from 'node:module'
import { pathToFileURL } from 'node:url'
import { tsImport } from 'tsx/esm/api'

/** The bare specifier a project's seeds and `.ts` migrations import ddbm's helpers and types by. */
const SELF = 'ddbm'

/**
 * A module resolve hook (run on Node's loader thread, so it is plain JavaScript in a data: URL): the next
 * resolver's answer, except that a bare `ddbm` nobody could resolve resolves to `target`.
 */
const ESM_HOOK = `let target
export function initialize(data) { target = data.target }
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context)
  } catch (err) {
    if (specifier === ${JSON.stringify(SELF)} && err?.code === 'ERR_MODULE_NOT_FOUND') {
      return { url: target, shortCircuit: true }
    }
    throw err
  }
}
`

let installed = false

/**
 * The entry file of the ddbm package that is running: its own name resolved from inside it (a package
 * may import itself by the name its package.json `exports` declares). Undefined if that fails.
 */
function selfEntry(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve(SELF)
  } catch {
    return undefined
  }
}

/**
 * Lets a project's seeds and `.ts` migrations `import ... from 'ddbm'` when the project does not have ddbm
 * installed (`npx ddbm init` in an empty folder): a bare `ddbm` that the project cannot resolve resolves
 * to the running package. A project with its own ddbm keeps it, because the fallback only answers after
 * Node's own resolution failed. Installed once per process, for ES modules (a resolve hook) and for
 * CommonJS (a `.ts` file outside a `"type": "module"` package is compiled to CommonJS by tsx, whose
 * require() goes through Module._resolveFilename; Node 20 has no synchronous hooks for it).
 */
export function installSelfResolution(): void {
  if (installed) return
  installed = true
  const entry = selfEntry()
  if (entry === undefined) return
  register(`data:text/javascript,${encodeURIComponent(ESM_HOOK)}`, import.meta.url, {
    data: { target: pathToFileURL(entry).href },
  })
  // Node's CommonJS resolver is internal (absent from its types) but long stable; tsx wraps it the same way.
  const next: unknown = Reflect.get(Module, '_resolveFilename')
  if (typeof next !== 'function') return
  Reflect.set(
    Module,
    '_resolveFilename',
    function resolveFilename(this: unknown, request: unknown, ...rest: unknown[]): unknown {
      try {
        return Reflect.apply(next, this, [request, ...rest])
      } catch (err) {
        if (request === SELF && (err as { code?: unknown }).code === 'MODULE_NOT_FOUND')
          return entry
        throw err
      }
    },
  )
}

/**
 * Imports a project's TypeScript file (a `.seed.ts`, a `.ts` migration) with tsx, no build step, with
 * {@link installSelfResolution} in place. Load errors are thrown as Node and esbuild raise them.
 */
export async function importTs(absolutePath: string): Promise<unknown> {
  installSelfResolution()
  return tsImport(pathToFileURL(absolutePath).href, import.meta.url)
}
