// View 4: scan or query the table or one of its indexes, a page at a time; export; edit and delete.
/* global confirm */
import { useState } from 'preact/hooks'
import { get, post, put, del, download, tablePath, base64url } from './api.js'
import { html, useLoad, ErrorBox, json, num } from './ui.js'

const SORT_OPS = ['=', '<', '<=', '>', '>=', 'between', 'begins_with']
const FILTER_OPS = [
  '=',
  '<>',
  '<',
  '<=',
  '>',
  '>=',
  'between',
  'begins_with',
  'contains',
  'attribute_exists',
  'attribute_not_exists',
]
const NO_VALUE = new Set(['attribute_exists', 'attribute_not_exists'])

/** A key value typed by its key schema: N is sent as a number. */
const keyValue = (type, raw) =>
  type === 'N' && raw.trim() !== '' && !isNaN(Number(raw)) ? Number(raw) : raw

/** A filter value as the JSON value its type select says. */
function filterValue(type, raw) {
  if (type === 'N') return Number(raw)
  if (type === 'BOOL') return raw === 'true'
  if (type === 'NULL') return null
  if (type === 'JSON') return JSON.parse(raw)
  return raw
}

/** The item browser of logical table `table`; edit and delete only when `allowWrites`. */
export function ItemBrowser({ table, allowWrites, overviewLoaded }) {
  const desc = useLoad(() => get(tablePath(table)), [table])
  if (desc.loading && !desc.data) return html`<p class="muted">Loading ${table}…</p>`
  if (!desc.data)
    return html`<h1>${table}</h1>
      <${ErrorBox} error=${desc.error} />`
  if (desc.data.description === null)
    return html`<h1>${table}</h1>
      <p class="error">No live table <code>${desc.data.physical}</code> in this environment.</p>`
  return html`<${Browser}
    table=${table}
    d=${desc.data.description}
    physical=${desc.data.physical}
    allowWrites=${allowWrites}
    overviewLoaded=${overviewLoaded}
  />`
}

function Browser({ table, d, physical, allowWrites, overviewLoaded }) {
  const [form, setForm] = useState({
    index: '',
    mode: 'scan',
    pk: '',
    sortOp: '=',
    sk: '',
    sk2: '',
    limit: 50,
  })
  const [filters, setFilters] = useState([])
  const [result, setResult] = useState(undefined)
  const [cursors, setCursors] = useState([undefined])
  const [error, setError] = useState(undefined)
  const [busy, setBusy] = useState(false)
  const [editing, setEditing] = useState(undefined)

  const target = form.index === '' ? d : [...d.gsis, ...d.lsis].find((i) => i.name === form.index)
  const keys = target?.keys ?? d.keys
  const hash = keys.find((k) => k.role === 'HASH')
  const range = keys.find((k) => k.role === 'RANGE')
  const set = (patch) => setForm((f) => ({ ...f, ...patch }))

  /** The request body (without cursor and limit), or throws a message for the user. */
  function body() {
    const b = { mode: form.mode }
    if (form.index !== '') b.index = form.index
    if (form.mode === 'query') {
      if (form.pk === '')
        throw new Error(`a query needs a value for the partition key ${hash.name}`)
      b.key = { partition: { value: keyValue(hash.type, form.pk) } }
      if (range && form.sk !== '') {
        b.key.sort = { op: form.sortOp, value: keyValue(range.type, form.sk) }
        if (form.sortOp === 'between') b.key.sort.value2 = keyValue(range.type, form.sk2)
      }
    }
    const fs = filters
      .filter((f) => f.attribute !== '')
      .map((f) => {
        const out = { attribute: f.attribute, op: f.op }
        if (!NO_VALUE.has(f.op)) out.value = filterValue(f.type, f.value)
        if (f.op === 'between') out.value2 = filterValue(f.type, f.value2)
        return out
      })
    if (fs.length > 0) b.filters = fs
    return b
  }

  async function run(pageIndex, stack) {
    setBusy(true)
    setError(undefined)
    try {
      const req = { ...body(), limit: Number(form.limit) }
      const cursor = stack[pageIndex]
      if (cursor !== undefined) req.cursor = cursor
      const page = await post(`${tablePath(table)}/items`, req)
      const next = stack.slice(0, pageIndex + 1)
      if (page.cursor !== undefined) next.push(page.cursor)
      setCursors(next)
      setResult({ ...page, pageIndex })
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }

  async function exportAs(format) {
    setError(undefined)
    try {
      const q = base64url(body())
      await download(`${tablePath(table)}/export?format=${format}&q=${q}`, `${physical}.${format}`)
    } catch (e) {
      setError(e)
    }
  }

  const exportHref = (format) => {
    try {
      return `${tablePath(table)}/export?format=${format}&q=${base64url(body())}`
    } catch {
      return undefined
    }
  }

  const keyOf = (item) => Object.fromEntries(d.keys.map((k) => [k.name, item[k.name]]))
  const columns = [...new Set([...d.keys, ...keys].map((k) => k.name))]

  async function remove(item) {
    if (!confirm(`Delete the item ${JSON.stringify(keyOf(item))} from ${physical}?`)) return
    try {
      await del(`${tablePath(table)}/item`, { key: keyOf(item) })
      await run(result.pageIndex, cursors)
    } catch (e) {
      setError(e)
    }
  }

  return html`<section>
    <h1>
      Items of ${table} <code class="muted">${physical}</code>
      <a class="button small" href=${`#/tables/${encodeURIComponent(table)}`}>Table</a>
    </h1>
    <form
      class="query"
      data-testid="query-form"
      onSubmit=${(e) => {
        e.preventDefault()
        run(0, [undefined])
      }}
    >
      <div class="row">
        <label
          >on
          <select
            name="index"
            value=${form.index}
            onChange=${(e) => set({ index: e.target.value, pk: '', sk: '', sk2: '' })}
          >
            <option value="">table ${physical}</option>
            ${d.gsis.map((i) => html`<option value=${i.name}>GSI ${i.name}</option>`)}
            ${d.lsis.map((i) => html`<option value=${i.name}>LSI ${i.name}</option>`)}
          </select>
        </label>
        <label class="radio"
          ><input
            type="radio"
            name="mode"
            value="scan"
            checked=${form.mode === 'scan'}
            onChange=${() => set({ mode: 'scan' })}
          />
          scan</label
        >
        <label class="radio"
          ><input
            type="radio"
            name="mode"
            value="query"
            checked=${form.mode === 'query'}
            onChange=${() => set({ mode: 'query' })}
          />
          query</label
        >
        <label
          >page size
          <select
            name="limit"
            value=${form.limit}
            onChange=${(e) => set({ limit: e.target.value })}
          >
            ${[25, 50, 100, 250, 500].map((n) => html`<option value=${n}>${n}</option>`)}
          </select>
        </label>
      </div>
      ${
        form.mode === 'query'
          ? html`<div class="row">
                <label
                  ><code>${hash.name}</code> <span class="type">${hash.type}</span> =
                  <input
                    name="pk"
                    value=${form.pk}
                    onInput=${(e) => set({ pk: e.target.value })}
                    required
                  />
                </label>
              </div>
              ${
                range
                  ? html`<div class="row">
                      <label
                        ><code>${range.name}</code> <span class="type">${range.type}</span>
                        <select
                          name="sortOp"
                          value=${form.sortOp}
                          onChange=${(e) => set({ sortOp: e.target.value })}
                        >
                          ${SORT_OPS.map((o) => html`<option value=${o}>${o}</option>`)}
                        </select>
                      </label>
                      <input
                        name="sk"
                        placeholder="(any)"
                        value=${form.sk}
                        onInput=${(e) => set({ sk: e.target.value })}
                      />
                      ${
                        form.sortOp === 'between'
                          ? html`and
                              <input
                                name="sk2"
                                value=${form.sk2}
                                onInput=${(e) => set({ sk2: e.target.value })}
                              />`
                          : null
                      }
                    </div>`
                  : null
              }`
          : null
      }
      <${Filters} filters=${filters} setFilters=${setFilters} />
      <div class="row">
        <button type="submit" disabled=${busy}>${form.mode === 'query' ? 'Query' : 'Scan'}</button>
        <a
          class="button"
          href=${exportHref('json')}
          data-testid="export-json"
          onClick=${(e) => {
            e.preventDefault()
            exportAs('json')
          }}
          >Export JSON</a
        >
        <a
          class="button"
          href=${exportHref('csv')}
          data-testid="export-csv"
          onClick=${(e) => {
            e.preventDefault()
            exportAs('csv')
          }}
          >Export CSV</a
        >
        ${
          overviewLoaded && !allowWrites
            ? html`<span class="note" data-testid="read-only"
                >read-only: start with <code>--allow-writes</code></span
              >`
            : null
        }
      </div>
    </form>
    <${ErrorBox} error=${error} />
    ${
      editing !== undefined
        ? html`<${Editor}
            item=${editing}
            onCancel=${() => setEditing(undefined)}
            onSave=${async (item) => {
              await put(`${tablePath(table)}/item`, { item })
              setEditing(undefined)
              if (result) await run(result.pageIndex, cursors)
            }}
          />`
        : null
    }
    ${
      result
        ? html`<div class="pager" data-testid="pager">
              <button
                disabled=${busy || result.pageIndex === 0}
                onClick=${() => run(result.pageIndex - 1, cursors)}
              >
                ← Previous
              </button>
              <span
                >${`page ${result.pageIndex + 1}: ${num(result.count)} item${result.count === 1 ? '' : 's'}`}
                (${num(result.scanned)} read)</span
              >
              <button
                disabled=${busy || cursors[result.pageIndex + 1] === undefined}
                onClick=${() => run(result.pageIndex + 1, cursors)}
              >
                Next →
              </button>
              ${
                allowWrites
                  ? html`<button
                      class="small"
                      onClick=${() => setEditing(Object.fromEntries(d.keys.map((k) => [k.name, k.type === 'N' ? 0 : ''])))}
                    >
                      New item
                    </button>`
                  : null
              }
            </div>
            <table class="list items" data-testid="items">
              <thead>
                <tr>
                  ${columns.map((c) => html`<th>${c}</th>`)}
                  <th>item</th>
                  ${allowWrites ? html`<th></th>` : null}
                </tr>
              </thead>
              <tbody>
                ${result.items.map(
                  (item) =>
                    html`<tr class="item">
                      ${columns.map((c) => html`<td><code>${item[c] === undefined ? '' : String(item[c])}</code></td>`)}
                      <td>
                        <details>
                          <summary>${preview(item)}</summary>
                          <pre>${json(item)}</pre>
                        </details>
                      </td>
                      ${
                        allowWrites
                          ? html`<td class="actions">
                              <button class="small" onClick=${() => setEditing(item)}>Edit</button>
                              <button class="small danger" onClick=${() => remove(item)}>
                                Delete
                              </button>
                            </td>`
                          : null
                      }
                    </tr>`,
                )}
              </tbody>
            </table>
            ${result.items.length === 0 ? html`<p class="muted">No items on this page.</p>` : null}`
        : html`<p class="muted">
            Choose a scan or a query and run it: one page at a time, never the whole table.
          </p>`
    }
  </section>`
}

const preview = (item) => {
  const s = JSON.stringify(item)
  return s.length > 100 ? `${s.slice(0, 100)}…` : s
}

function Filters({ filters, setFilters }) {
  const update = (i, patch) => setFilters(filters.map((f, j) => (j === i ? { ...f, ...patch } : f)))
  return html`<div class="filters">
    ${filters.map(
      (f, i) =>
        html`<div class="row filter" data-filter=${i}>
          <span>filter</span>
          <input
            name="attribute"
            placeholder="attribute"
            value=${f.attribute}
            onInput=${(e) => update(i, { attribute: e.target.value })}
          />
          <select name="op" value=${f.op} onChange=${(e) => update(i, { op: e.target.value })}>
            ${FILTER_OPS.map((o) => html`<option value=${o}>${o}</option>`)}
          </select>
          ${
            NO_VALUE.has(f.op)
              ? null
              : html`<select
                    name="type"
                    value=${f.type}
                    onChange=${(e) => update(i, { type: e.target.value })}
                    title="value type"
                  >
                    ${['S', 'N', 'BOOL', 'NULL', 'JSON'].map((t) => html`<option value=${t}>${t}</option>`)}
                  </select>
                  <input
                    name="value"
                    placeholder="value"
                    value=${f.value}
                    onInput=${(e) => update(i, { value: e.target.value })}
                  />
                  ${
                    f.op === 'between'
                      ? html`and
                          <input
                            name="value2"
                            value=${f.value2}
                            onInput=${(e) => update(i, { value2: e.target.value })}
                          />`
                      : null
                  }`
          }
          <button
            type="button"
            class="small"
            onClick=${() => setFilters(filters.filter((_, j) => j !== i))}
          >
            remove
          </button>
        </div>`,
    )}
    <button
      type="button"
      class="small"
      onClick=${() => setFilters([...filters, { attribute: '', op: '=', type: 'S', value: '', value2: '' }])}
    >
      + filter
    </button>
  </div>`
}

function Editor({ item, onSave, onCancel }) {
  const [text, setText] = useState(json(item))
  const [error, setError] = useState(undefined)
  return html`<form
    class="editor"
    data-testid="editor"
    onSubmit=${async (e) => {
      e.preventDefault()
      setError(undefined)
      try {
        await onSave(JSON.parse(text))
      } catch (err) {
        setError(err)
      }
    }}
  >
    <label>Item (JSON; the whole item is written)</label>
    <textarea
      name="item"
      rows="14"
      value=${text}
      onInput=${(e) => setText(e.target.value)}
    ></textarea>
    <${ErrorBox} error=${error} />
    <div class="row">
      <button type="submit">Save</button>
      <button type="button" onClick=${onCancel}>Cancel</button>
    </div>
  </form>`
}
