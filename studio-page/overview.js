// View 1: the environment and each table at a glance.
import { html, Badge, ErrorBox, Field, num } from './ui.js'

/** The environment overview, from the app's `/api/overview` load. */
export function Overview({ state }) {
  const { data, error, loading, reload } = state
  if (loading && !data) return html`<p class="muted">Loading the environment…</p>`
  if (!data) return html`<${ErrorBox} error=${error} />`
  const stored = data.storedEnvironment
  return html`<section>
    <h1>Environment <code>${data.env}</code></h1>
    <${ErrorBox} error=${error} />
    <dl class="grid" data-testid="environment">
      <${Field} label="endpoint">
        ${
          data.endpoint === null
            ? 'AWS (the region’s default endpoint)'
            : html`<code>${data.endpoint}</code>`
        }
        ${data.embedded ? html` <span class="badge neutral">embedded DynamoDB Local</span>` : null}
      <//>
      <${Field} label="region">${data.region ?? html`<span class="muted">—</span>`}<//>
      <${Field} label="protected">
        ${data.protected ? html`<span class="badge bad">protected</span>` : 'no'}
      <//>
      <${Field} label="stored environment">
        ${
          stored
            ? html`<code>${stored.name}</code>${stored.protected ? ' (protected)' : ''}
                ${
                  stored.name !== data.env
                    ? html` <span
                        class="badge bad"
                        title="the meta table was written for another environment"
                        >differs from ${data.env}</span
                      >`
                    : null
                }`
            : html`<span class="muted">none recorded yet</span>`
        }
      <//>
      <${Field} label="meta table"><code>${data.metaTable}</code><//>
      <${Field} label="item writes">
        ${
          data.allowWrites
            ? 'allowed (edit and delete in the item browser)'
            : html`read-only: start with <code>--allow-writes</code>`
        }
      <//>
    </dl>
    <h2>Tables <button class="small" onClick=${reload}>Refresh</button></h2>
    <table class="list" data-testid="tables">
      <thead>
        <tr>
          <th>table</th>
          <th>physical name</th>
          <th>status</th>
          <th class="n">items</th>
          <th>verify</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${data.tables.map(
          (t) =>
            html`<tr data-table=${t.table}>
              <td><a href=${`#/tables/${encodeURIComponent(t.table)}`}>${t.table}</a></td>
              <td><code>${t.physical}</code></td>
              <td><${Badge} status=${t.status} /></td>
              <td class="n" title="approximate (DescribeTable, updated about every 6 hours on AWS)">
                ${num(t.itemCount)}
              </td>
              <td><${Badge} status=${t.verify} /></td>
              <td>
                ${
                  t.status === 'missing'
                    ? null
                    : html`<a href=${`#/tables/${encodeURIComponent(t.table)}/items`}
                        >browse items</a
                      >`
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${data.tables.length === 0 ? html`<p class="muted">No tables in schemas/.</p>` : null}
  </section>`
}
