// Small shared pieces: the htm binding, a data-loading hook, status badges and formatting.
/* global setTimeout, clearTimeout */
import { h } from 'preact'
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import htm from 'htm'

export const html = htm.bind(h)

/**
 * Loads `load()` on mount and whenever `deps` change; `{ data, error, loading, reload }`. With `every`
 * (ms, or a function of the last data returning ms or 0), loads again on that period while mounted.
 */
export function useLoad(load, deps, every) {
  const [state, setState] = useState({ data: undefined, error: undefined, loading: true })
  const alive = useRef(true)
  const reload = useCallback(async () => {
    try {
      const data = await load()
      if (alive.current) setState({ data, error: undefined, loading: false })
      return data
    } catch (error) {
      if (alive.current) setState((s) => ({ data: s.data, error, loading: false }))
      return undefined
    }
  }, deps)
  useEffect(() => {
    alive.current = true
    setState({ data: undefined, error: undefined, loading: true })
    let timer
    const tick = async () => {
      const data = await reload()
      const ms = typeof every === 'function' ? every(data) : every
      if (alive.current && ms) timer = setTimeout(tick, ms)
    }
    tick()
    return () => {
      alive.current = false
      clearTimeout(timer)
    }
  }, [reload])
  return { ...state, reload }
}

/** An error box: the server's code, message and hint. */
export function ErrorBox({ error }) {
  if (!error) return null
  return html`<div class="error" role="alert">
    <strong>${error.code ?? 'error'}</strong> ${error.message}
    ${error.hint ? html`<div class="hint">${error.hint}</div>` : null}
  </div>`
}

const TONES = {
  ok: 'good',
  applied: 'good',
  ACTIVE: 'good',
  drift: 'bad',
  failed: 'bad',
  changed: 'bad',
  missing: 'bad',
  interrupted: 'warn',
  running: 'warn',
  pending: 'warn',
  CREATING: 'warn',
  UPDATING: 'warn',
  DELETING: 'bad',
  unsupported: 'neutral',
}

/** A coloured status word; `unsupported` is grey, never green. */
export function Badge({ status, title }) {
  return html`<span
    class=${`badge ${TONES[status] ?? 'neutral'}`}
    data-status=${status}
    title=${title}
    >${status}</span
  >`
}

/** A labelled value in a definition grid. */
export function Field({ label, children }) {
  return html`<div class="field">
    <dt>${label}</dt>
    <dd>${children}</dd>
  </div>`
}

/** "1.2 s", "340 ms", "3 min 2 s". */
export function duration(ms) {
  if (ms === undefined || ms === null) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = ms / 1000
  if (s < 60) return `${s.toFixed(1)} s`
  const m = Math.floor(s / 60)
  return m < 60 ? `${m} min ${Math.round(s % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`
}

/** A local date-time from an ISO string, with the ISO string as a tooltip. */
export function When({ iso }) {
  if (!iso) return html`<span class="muted">—</span>`
  const d = new Date(iso)
  return html`<time datetime=${iso} title=${iso}>${isNaN(d) ? iso : d.toLocaleString()}</time>`
}

/** Numbers with thousands separators. */
export const num = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : '—')

/** Pretty JSON. */
export const json = (v) => JSON.stringify(v, null, 2)

/** Yes / no / unknown for booleans that an engine may not report. */
export function yesNo(v) {
  if (v === true) return 'on'
  if (v === false) return 'off'
  return html`<span class="muted">unknown</span>`
}
