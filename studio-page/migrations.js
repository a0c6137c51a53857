// View 2: the migration timeline, each migration's steps, and live backfill progress.
import { useRef } from 'preact/hooks'
import { get } from './api.js'
import { html, useLoad, Badge, ErrorBox, When, duration, num } from './ui.js'

/** What the checksum of a migration's file says, per state. */
const CHECKSUM = {
  applied: 'matches the applied file',
  changed: 'file changed since it was applied',
  missing: 'file missing',
  failed: 'may change (fix and run again)',
  interrupted: 'matches (resumes on the next run)',
  running: 'running',
  pending: 'not applied yet',
}

const busy = (d) =>
  (d?.backfills?.length ?? 0) > 0 ||
  (d?.rows ?? []).some((r) => r.state === 'running') ||
  (d?.seeding ?? []).some((s) => s.status === 'running')

/** The timeline; polls every 2 s while a backfill or migration runs, every 10 s otherwise. */
export function Migrations() {
  const { data, error, loading, reload } = useLoad(
    () => get('/api/migrations'),
    [],
    (d) => (busy(d) ? 2000 : 10000),
  )
  const rates = useRates(data?.backfills)
  if (loading && !data) return html`<p class="muted">Loading migrations…</p>`
  if (!data) return html`<${ErrorBox} error=${error} />`
  return html`<section>
    <h1>Migrations <button class="small" onClick=${reload}>Refresh</button></h1>
    <${ErrorBox} error=${error} />
    ${
      data.lock
        ? html`<p class="note warn" data-testid="lock">
            Locked by <code>${data.lock.holder}</code> since <${When} iso=${data.lock.since} />
          </p>`
        : null
    }
    ${
      data.problems.length > 0
        ? html`<div class="error" data-testid="problems">
            <strong>History problems (every change is refused until fixed):</strong>
            <ul>
              ${data.problems.map(
                (p) => html`<li><code>${p.code}</code> <code>${p.name}</code>: ${p.message}</li>`,
              )}
            </ul>
          </div>`
        : null
    }
    ${(data.backfills ?? []).map((b) => html`<${Backfill} b=${b} rate=${rates[key(b)]} />`)}
    ${(data.seeding ?? []).map((s) => html`<${Seeding} s=${s} />`)}
    <ol class="timeline" data-testid="timeline">
      ${data.rows.map((r) => html`<${Row} r=${r} steps=${data.steps?.[r.name]} />`)}
    </ol>
    ${data.rows.length === 0 ? html`<p class="muted">No migrations in migrations/.</p>` : null}
  </section>`
}

function Row({ r, steps }) {
  return html`<li
    class=${`migration state-${r.state}`}
    data-migration=${r.name}
    data-state=${r.state}
  >
    <div class="row-head">
      <${Badge} status=${r.state} />
      <strong class="name">${r.name}</strong>
      ${r.file ? html`<code class="muted">${r.file}</code>` : null}
    </div>
    <dl class="inline">
      <div>
        <dt>when</dt>
        <dd><${When} iso=${r.appliedAt} /></dd>
      </div>
      <div>
        <dt>by</dt>
        <dd>${r.appliedBy ?? html`<span class="muted">—</span>`}</dd>
      </div>
      <div>
        <dt>took</dt>
        <dd>${duration(r.durationMs)}</dd>
      </div>
      <div>
        <dt>checksum</dt>
        <dd data-testid="checksum">${CHECKSUM[r.state] ?? '—'}</dd>
      </div>
    </dl>
    ${r.error ? html`<pre class="error">${r.error}</pre>` : null}
    ${
      (r.backups ?? []).length > 0
        ? html`<div class="muted">
            backups taken: ${r.backups.map((b) => html`<code title=${b.arn}>${b.table}</code> `)}
          </div>`
        : null
    }
    ${
      steps && steps.length > 0
        ? html`<details open=${r.state !== 'applied'}>
            <summary>${steps.length} step${steps.length === 1 ? '' : 's'}</summary>
            <ol class="steps">
              ${steps.map((s) => html`<li><code>${s}</code></li>`)}
            </ol>
          </details>`
        : null
    }
  </li>`
}

/** A `ddbm seed` run (or shard) as it records its progress in the meta table. */
function Seeding({ s }) {
  const done = s.tables.reduce((n, t) => n + t.done, 0)
  const total = s.tables.reduce((n, t) => n + t.total, 0)
  return html`<div class="backfill" data-testid="seeding" data-status=${s.status}>
    <div class="row-head">
      <${Badge} status=${s.status === 'done' ? 'applied' : s.status} />
      <strong>seed ${s.shard === '1/1' ? '' : `shard ${s.shard} `}</strong>
      <span class="muted"
        >by <code>${s.startedBy}</code>, updated <${When} iso=${s.updatedAt}
      /></span>
    </div>
    <p>${num(done)} of ${num(total)} items written</p>
    <ul class="steps">
      ${s.tables.map((t) => html`<li><code>${t.table}</code>: ${num(t.done)} / ${num(t.total)}</li>`)}
    </ul>
  </div>`
}

const key = (b) => `${b.migration}/${b.name}/${b.direction}`

/** Items/s of each backfill from the last two readings (one reading has no speed). */
function useRates(backfills) {
  const last = useRef({})
  const rates = useRef({})
  const now = Date.now()
  for (const b of backfills ?? []) {
    const k = key(b)
    const prev = last.current[k]
    if (prev && prev.scanned !== b.counts.scanned && now > prev.at) {
      rates.current[k] = ((b.counts.scanned - prev.scanned) * 1000) / (now - prev.at)
    }
    if (!prev || prev.scanned !== b.counts.scanned)
      last.current[k] = { scanned: b.counts.scanned, at: now }
  }
  return rates.current
}

/** ": segments 0, 1, 2" (one string: htm drops whitespace that spans lines). */
const holding = (segments) =>
  `: ${segments.length === 1 ? 'segment' : 'segments'} ${segments.join(', ')}`

function Backfill({ b, rate }) {
  const pct = b.segments > 0 ? Math.round((b.segmentsDone / b.segments) * 100) : 0
  const left =
    b.itemCount !== undefined && rate > 0
      ? Math.max(0, b.itemCount - b.counts.scanned) / rate
      : undefined
  return html`<div class="backfill" data-testid="backfill" data-backfill=${b.name}>
    <div class="row-head">
      <span class="badge warn">backfill ${b.direction}</span>
      <strong>${b.migration}</strong> · <code>${b.name}</code> on
      <code>${b.table}${b.index ? ` (${b.index})` : ''}</code>
    </div>
    <progress max=${b.segments} value=${b.segmentsDone}></progress>
    <span> ${b.segmentsDone} / ${b.segments} segments done (${pct} %)</span>
    <dl class="inline">
      <div>
        <dt>scanned</dt>
        <dd>
          ${num(b.counts.scanned)}${b.itemCount !== undefined ? html` of ~${num(b.itemCount)}` : ''}
        </dd>
      </div>
      <div>
        <dt>written</dt>
        <dd>${num(b.counts.written)}</dd>
      </div>
      <div>
        <dt>skipped</dt>
        <dd>${num(b.counts.skipped)}</dd>
      </div>
      <div>
        <dt>failed</dt>
        <dd>${num(b.counts.failed)}</dd>
      </div>
      <div>
        <dt>items/s</dt>
        <dd>${rate !== undefined ? num(Math.round(rate)) : '—'}</dd>
      </div>
      <div>
        <dt>ETA</dt>
        <dd>${left !== undefined ? duration(left * 1000) : '—'}</dd>
      </div>
      <div>
        <dt>started</dt>
        <dd>${b.startedBy}, <${When} iso=${b.startedAt} /></dd>
      </div>
      <div>
        <dt>last checkpoint</dt>
        <dd><${When} iso=${b.lastCheckpointAt} /></dd>
      </div>
    </dl>
    <ul class="holders">
      ${b.holders.map((h) => html`<li><code>${h.holder}</code>${holding(h.segments)}</li>`)}
      ${
        b.unheld.length > 0
          ? html`<li class="muted">
              not held: segment${b.unheld.length === 1 ? '' : 's'} ${b.unheld.join(', ')}
            </li>`
          : null
      }
    </ul>
  </div>`
}
