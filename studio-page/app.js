// The studio page: hash routes to four views, the environment header shared by all.
/* global location, document, addEventListener, removeEventListener */
import { render } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { get } from './api.js'
import { html, useLoad, ErrorBox } from './ui.js'
import { Overview } from './overview.js'
import { Migrations } from './migrations.js'
import { TableView } from './table.js'
import { ItemBrowser } from './items.js'

/** The route of a hash: `#/`, `#/migrations`, `#/tables/<name>`, `#/tables/<name>/items`. */
function parse(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent)
  if (parts[0] === 'migrations') return { view: 'migrations' }
  if (parts[0] === 'tables' && parts[1] !== undefined)
    return { view: parts[2] === 'items' ? 'items' : 'table', table: parts[1] }
  return { view: 'overview' }
}

function useRoute() {
  const [route, setRoute] = useState(() => parse(location.hash))
  useEffect(() => {
    const on = () => setRoute(parse(location.hash))
    addEventListener('hashchange', on)
    return () => removeEventListener('hashchange', on)
  }, [])
  return route
}

function Header({ overview, route }) {
  const tables = overview?.tables ?? []
  const link = (href, label, active) =>
    html`<a href=${href} class=${active ? 'active' : ''} aria-current=${active ? 'page' : undefined}
      >${label}</a
    >`
  return html`<header>
    <div class="brand">
      <a href="#/">ddbm studio</a>
      ${
        overview
          ? html`<span class="env" data-testid="env-name">${overview.env}</span>
              ${overview.protected ? html`<span class="badge bad">protected</span>` : null}
              ${
                overview.allowWrites
                  ? html`<span class="badge warn" title="edit and delete of items are on"
                      >writes on</span
                    >`
                  : html`<span class="badge neutral" title="start with --allow-writes to edit items"
                      >read-only</span
                    >`
              }`
          : null
      }
    </div>
    <nav>
      ${link('#/', 'Overview', route.view === 'overview')}
      ${link('#/migrations', 'Migrations', route.view === 'migrations')}
      ${
        tables.length > 0
          ? html`<select
              aria-label="table"
              value=${route.table ?? ''}
              onChange=${(e) => {
                if (e.target.value) location.hash = `#/tables/${encodeURIComponent(e.target.value)}`
              }}
            >
              <option value="">Tables…</option>
              ${tables.map((t) => html`<option value=${t.table}>${t.table}</option>`)}
            </select>`
          : null
      }
      ${
        route.table
          ? html`${link(`#/tables/${encodeURIComponent(route.table)}`, 'Table', route.view === 'table')}
            ${link(
              `#/tables/${encodeURIComponent(route.table)}/items`,
              'Items',
              route.view === 'items',
            )}`
          : null
      }
    </nav>
  </header>`
}

function App() {
  const route = useRoute()
  const overview = useLoad(() => get('/api/overview'), [])
  // Coming back to the overview reads the environment again (the first load is useLoad's own).
  const shown = useRef(false)
  useEffect(() => {
    if (route.view === 'overview' && shown.current) overview.reload()
    shown.current = true
  }, [route.view])
  let view
  if (route.view === 'migrations') view = html`<${Migrations} />`
  else if (route.view === 'table')
    view = html`<${TableView} key=${route.table} table=${route.table} />`
  else if (route.view === 'items')
    view = html`<${ItemBrowser}
      key=${route.table}
      table=${route.table}
      allowWrites=${overview.data?.allowWrites === true}
      overviewLoaded=${overview.data !== undefined}
    />`
  else view = html`<${Overview} state=${overview} />`
  return html`<${Header} overview=${overview.data} route=${route} />
    ${route.view !== 'overview' ? html`<${ErrorBox} error=${overview.error} />` : null}
    <main data-view=${route.view}>${view}</main>`
}

// Preact diffs against what is in the container: drop the static "Loading…" first.
const root = document.getElementById('app')
root.textContent = ''
render(html`<${App} />`, root)
