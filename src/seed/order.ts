import type { Issue } from '../issues.js'
import { suggest } from '../zod-issues.js'
import type { LoadedSeed } from './define-seed.js'

/** The seeds in the order they run, and the problems of their `dependsOn`. */
export type SeedOrder = { order: LoadedSeed[]; issues: Issue[] }

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Orders seeds so that every table comes after the tables its seeds `dependsOn` (topological order; among
 * tables free to run, by table name, so the order never depends on the order of files). A table's fixture
 * runs before its generator. A `dependsOn` naming a table without a seed is an Issue (and ignored for the
 * order); each cycle is an Issue naming it, `A → B → A`, and is broken to finish the order, so `order`
 * always holds every seed.
 */
export function orderSeeds(seeds: readonly LoadedSeed[]): SeedOrder {
  const tables = [...new Set(seeds.map((s) => s.definition.table))].sort(byName)
  const issues: Issue[] = []
  const deps = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]))
  for (const seed of seeds) {
    const own = deps.get(seed.definition.table) ?? new Set<string>()
    ;(seed.definition.dependsOn ?? []).forEach((dep, k) => {
      if (deps.has(dep)) {
        own.add(dep)
        return
      }
      const others = tables.filter((t) => t !== seed.definition.table)
      issues.push({
        file: seed.file,
        path: `dependsOn[${k}]`,
        message: `${JSON.stringify(dep)} has no seed`,
        hint:
          others.length === 0
            ? `add a seed for ${dep}, or remove it from dependsOn`
            : `${suggest(dep, others, 'tables with seeds')}; or add a seed for ${dep}`,
      })
    })
  }

  const order: LoadedSeed[] = []
  const done = new Set<string>()
  const emit = (table: string): void => {
    done.add(table)
    const own = seeds.filter((s) => s.definition.table === table)
    own.sort((a, b) => (a.kind === b.kind ? byName(a.file, b.file) : a.kind === 'fixture' ? -1 : 1))
    order.push(...own)
  }
  while (done.size < tables.length) {
    const remaining = tables.filter((t) => !done.has(t))
    const ready = remaining.find((t) => [...(deps.get(t) ?? [])].every((d) => done.has(d)))
    if (ready !== undefined) {
      emit(ready)
      continue
    }
    const cycle = findCycle(remaining[0] ?? '', deps, done)
    const first = cycle[0] ?? ''
    const last = cycle[cycle.length - 2] ?? first
    const file = seeds.find((s) => s.definition.table === first && s.kind === 'generator')?.file
    issues.push({
      file: file ?? '',
      path: 'dependsOn',
      message: `dependsOn forms a cycle: ${cycle.join(' → ')}`,
      hint: 'remove one of these dependsOn entries: a seed runs after the tables it depends on, so a cycle has no first seed',
    })
    // break the cycle at its closing edge and go on, to report any other cycle too
    deps.get(last)?.delete(first)
  }
  return { order, issues }
}

/** A cycle through tables not yet `done`, from `start`'s dependencies: `[A, B, A]` (first = last). */
function findCycle(
  start: string,
  deps: ReadonlyMap<string, ReadonlySet<string>>,
  done: ReadonlySet<string>,
): string[] {
  const path: string[] = []
  let current = start
  // every remaining table has a remaining dependency, so this walk must meet a table twice
  while (!path.includes(current)) {
    path.push(current)
    const next = [...(deps.get(current) ?? [])].filter((d) => !done.has(d)).sort(byName)[0]
    if (next === undefined) return [...path, current]
    current = next
  }
  const from = path.indexOf(current)
  return [...path.slice(from), current]
}
