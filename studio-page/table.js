// View 3: a diagram of one table and its indexes, and ddbm verify's checks for it.
import { get, tablePath } from './api.js'
import { html, useLoad, Badge, ErrorBox, Field, json, yesNo } from './ui.js'

const SSE = { AWS_OWNED: 'AWS owned key', KMS: 'KMS', AES256: 'AES256' }

/** The table view of logical table `table`. */
export function TableView({ table }) {
  const { data, error, loading, reload } = useLoad(() => get(tablePath(table)), [table])
  if (loading && !data) return html`<p class="muted">Loading ${table}…</p>`
  if (!data)
    return html`<h1>${table}</h1>
      <${ErrorBox} error=${error} />`
  const d = data.description
  if (d === null)
    return html`<section>
      <h1>${data.table} <code class="muted">${data.physical}</code></h1>
      <p class="error" data-testid="missing">
        In schemas/ but not in this environment: no live table <code>${data.physical}</code>.
      </p>
      <h2>Verify</h2>
      <${Checks} checks=${data.checks} />
    </section>`
  return html`<section>
    <h1>
      ${data.table} <code class="muted">${data.physical}</code>
      <button class="small" onClick=${reload}>Refresh</button>
      <a class="button small" href=${`#/tables/${encodeURIComponent(table)}/items`}>Browse items</a>
    </h1>
    <${ErrorBox} error=${error} />
    <div class="diagram" data-testid="diagram">
      <div class="entity base">
        <div class="entity-title">table <strong>${data.physical}</strong></div>
        <${Keys} keys=${d.keys} />
      </div>
      ${
        d.gsis.length + d.lsis.length > 0
          ? html`<div class="indexes">
              ${d.gsis.map((i) => html`<${Index} kind="GSI" index=${i} />`)}
              ${d.lsis.map((i) => html`<${Index} kind="LSI" index=${i} />`)}
            </div>`
          : null
      }
    </div>
    <dl class="grid" data-testid="properties">
      <${Field} label="billing">${d.billing}<//>
      <${Field} label="TTL">
        ${d.ttl ? html`<code>${d.ttl.attribute}</code> ${d.ttl.enabled ? 'enabled' : 'disabled'}` : 'off'}
      <//>
      <${Field} label="PITR">${yesNo(d.pitr)}<//>
      <${Field} label="SSE">${SSE[d.sse] ?? d.sse ?? html`<span class="muted">unknown</span>`}<//>
      <${Field} label="stream">${d.stream ?? 'off'}<//>
      <${Field} label="deletion protection">${yesNo(d.deletionProtection)}<//>
      <${Field} label="table class">${d.tableClass ?? html`<span class="muted">unknown</span>`}<//>
      <${Field} label="tags">
        ${
          d.tags === null || d.tags === undefined
            ? html`<span class="muted">unknown</span>`
            : Object.keys(d.tags).length === 0
              ? 'none'
              : Object.entries(d.tags).map(([k, v]) => html`<span class="tag">${k}=${v}</span> `)
        }
      <//>
    </dl>
    <h2>Verify</h2>
    <${Checks} checks=${data.checks} />
  </section>`
}

function Keys({ keys }) {
  return html`<ul class="keys">
    ${keys.map(
      (k) =>
        html`<li>
          <span class="role">${k.role === 'HASH' ? 'PK' : 'SK'}</span> <code>${k.name}</code>
          <span class="type">${k.type}</span>
        </li>`,
    )}
  </ul>`
}

function Index({ kind, index }) {
  return html`<div class="entity index" data-index=${index.name}>
    <div class="entity-title">
      ${kind} <strong>${index.name}</strong>
      ${index.status && index.status !== 'ACTIVE' ? html` <${Badge} status=${index.status} />` : null}
    </div>
    <${Keys} keys=${index.keys} />
    <div class="projection">
      projection ${index.projection}
      ${index.nonKeyAttributes?.length ? html`: ${index.nonKeyAttributes.map((a) => html`<code>${a}</code> `)}` : null}
    </div>
  </div>`
}

/** A check's side: text as it is, anything else as JSON. */
const shown = (v) => (typeof v === 'string' ? v : json(v))

function Checks({ checks }) {
  if (checks.length === 0) return html`<p class="muted">No checks.</p>`
  const counts = {}
  for (const c of checks) counts[c.status] = (counts[c.status] ?? 0) + 1
  return html`<p data-testid="check-summary">
      ${Object.entries(counts).map(([s, n]) => html`<${Badge} status=${s} /> ${n} `)}
    </p>
    <table class="list checks" data-testid="checks">
      <thead>
        <tr>
          <th>check</th>
          <th>result</th>
          <th>expected</th>
          <th>actual</th>
        </tr>
      </thead>
      <tbody>
        ${checks.map(
          (c) =>
            html`<tr data-check=${c.check} data-status=${c.status} class=${`check-${c.status}`}>
              <td>
                <code>${c.check}</code
                >${c.detail ? html`<div class="muted">${c.detail}</div>` : null}
              </td>
              <td>
                <${Badge}
                  status=${c.status}
                  title=${c.status === 'unsupported' ? 'this engine cannot report it: not checked' : undefined}
                />
                ${c.status === 'unsupported' ? html`<div class="muted">not checked on this engine</div>` : null}
              </td>
              <td>
                ${'expected' in c ? html`<pre class="expected">${shown(c.expected)}</pre>` : null}
              </td>
              <td>${'actual' in c ? html`<pre class="actual">${shown(c.actual)}</pre>` : null}</td>
            </tr>`,
        )}
      </tbody>
    </table>`
}
