import { randomUUID } from 'node:crypto'
import { createRequire, register } from 'node:module'
import Module from 'node:module'
import { pathToFileURL } from 'node:url'

/** The bare specifier a project's seeds and `.ts` migrations import ddbm's helpers and types by. */
const SELF = 'ddbm'

/**
 * A module resolve hook (run on Node's loader thread, so it is plain JavaScript in a data: URL), for the
 * bare `ddbm` only: the running package's entry (`target`) when nobody could resolve it, and when the
 * resolution found that very entry through a tsx scope, the entry without the scope's query, so that a
 * project's seeds and `.ts` migrations share the running ddbm instead of loading a copy of it (and of zod)
 * through tsx's hooks, module by module. Any other answer, a project's own ddbm, is kept.
 */
const ESM_HOOK = `let target
export function initialize(data) { target = data.target }
export async function resolve(specifier, context, nextResolve) {
  if (specifier !== ${JSON.stringify(SELF)}) return nextResolve(specifier, context)
  try {
    const resolved = await nextResolve(specifier, context)
    return resolved.url.split('?')[0] === target ? { ...resolved, url: target } : resolved
  } catch (err) {
    if (err?.code === 'ERR_MODULE_NOT_FOUND') return { url: target, shortCircuit: true }
    throw err
  }
}
`

let entry: string | null | undefined

/**
 * The entry file of the ddbm package that is running: its own name resolved from inside it (a package
 * may import itself by the name its package.json `exports` declares). Undefined if that fails.
 */
function selfEntry(): string | undefined {
  if (entry === undefined) {
    try {
      entry = createRequire(import.meta.url).resolve(SELF)
    } catch {
      entry = null
    }
  }
  return entry ?? undefined
}

let cjsInstalled = false

/**
 * Lets a project's CommonJS seeds and `.ts` migrations (a `.ts` file outside a `"type": "module"` package
 * is compiled to CommonJS by tsx, whose require() goes through Module._resolveFilename; Node 20 has no
 * synchronous hooks for it) `require('ddbm')` when the project does not have ddbm installed: a bare
 * `ddbm` that the project cannot resolve resolves to the running package. Installed once per process.
 */
function installCjsSelfResolution(target: string): void {
  if (cjsInstalled) return
  cjsInstalled = true
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
          return target
        throw err
      }
    },
  )
}

/** Imports one TypeScript file by its absolute path; see {@link tsScope}. */
export type TsImport = (absolutePath: string) => Promise<unknown>

/**
 * A scope for importing a project's TypeScript files (`.seed.ts`, `.ts` migrations) with tsx, no build
 * step. tsx is loaded and registered on the first import only, once for the scope: the files of one scope
 * share the modules they import (a seeds/ helper) as in any Node program, where tsx's own `tsImport`
 * registers its hooks again and evaluates every import afresh for each file. A new scope sees the files
 * as they are now. A bare `ddbm` resolves to the running package when the project has none (`npx ddbm
 * init` in an empty folder), and is the running package's one instance when it resolves to it; a project
 * with its own ddbm keeps it. Load errors are thrown as Node and esbuild raise them.
 */
export function tsScope(): TsImport {
  let scoped: Promise<(specifier: string, parent: string) => Promise<unknown>> | undefined
  return async (absolutePath) => {
    scoped ??= registerScope()
    return (await scoped)(pathToFileURL(absolutePath).href, import.meta.url)
  }
}

/** Imports one TypeScript file in a scope of its own ({@link tsScope}). */
export async function importTs(absolutePath: string): Promise<unknown> {
  return tsScope()(absolutePath)
}

/**
 * Registers tsx under a new namespace for ES modules and for CommonJS, as tsx's `tsImport` does for each
 * call, then ESM_HOOK after it (hooks registered later run first, so it sees tsx's answers), and returns
 * the namespace's import. The running package's entry is imported first, before any hook: the files'
 * `import 'ddbm'` then finds it loaded, rather than loading its modules one by one through Node's loader
 * thread (about a third of the time of loading the example project's seeds).
 */
async function registerScope(): Promise<(specifier: string, parent: string) => Promise<unknown>> {
  const target = selfEntry()
  if (target !== undefined) installCjsSelfResolution(target)
  const [esm, cjs] = await Promise.all([
    import('tsx/esm/api'),
    import('tsx/cjs/api'),
    target === undefined ? undefined : import(pathToFileURL(target).href),
  ])
  const namespace = randomUUID()
  cjs.register({ namespace })
  const scoped = esm.register({ namespace })
  if (target !== undefined) {
    register(`data:text/javascript,${encodeURIComponent(ESM_HOOK)}`, import.meta.url, {
      data: { target: pathToFileURL(target).href },
    })
  }
  return scoped.import
}
