// What every view of the console shares: the session's state, the API call, safe text, the server's clock.
// Text written by customers (and by anyone) is only ever set with textContent, never innerHTML.

export const state = {
  csrf: null, user: null, roles: [], clockOffset: 0,
  view: 'unassigned', selected: null, current: null, cursor: null, events: null, heartbeat: null, draftKey: null,
  suggestions: [], kbArticleId: null, healthWatch: null
};

export const $ = (id) => document.getElementById(id);
export const has = (role) => state.roles.includes(role) || state.roles.includes('admin');
// Who works cases (claims, replies, dismisses, notes): agents and community managers. A lead reads and assigns only.
// The server checks every route; this only keeps the console from offering what would be refused.
export const works = () => has('agent') || has('community');

// Told when the server says the database is away (live.js shows the banner); set once at start.
const apiHooks = { databaseDown: () => {} };
export function onDatabaseDown(fn) { apiHooks.databaseDown = fn; }

export async function api(method, path, body, extraHeaders) {
  const headers = { 'Accept': 'application/json', ...(extraHeaders || {}) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.status === 503 && data && data.error === 'database-unavailable') apiHooks.databaseDown();
  if (!res.ok) {
    const err = new Error((data && data.message) || res.statusText);
    err.status = res.status; err.body = data;
    throw err;
  }
  return data;
}

export function text(tag, value, cls) {
  const el = document.createElement(tag);
  el.textContent = value == null ? '' : String(value);
  if (cls) el.className = cls;
  return el;
}

export function renderList(id, items, make) {
  $(id).replaceChildren(...items.map(make));
}

export const list = (v) => v.split(',').map((x) => x.trim()).filter(Boolean);

/** "1 click", "2 clicks": a count with its noun, so no line reads "1 proactive tweets". */
export function counted(n, one, many) {
  return n + ' ' + (n === 1 ? one : (many || one + 's'));
}

export function notice(message) {
  const el = text('div', message, 'notice');
  $('notices').appendChild(el);
  setTimeout(() => el.remove(), 8000);
}

// The countdown is derived from the stored deadline and the server's clock, so every screen shows the same.
export function serverNow() { return Date.now() + state.clockOffset; }
export function syncClock(serverTime) { if (serverTime) state.clockOffset = Date.parse(serverTime) - Date.now(); }

export function formatDue(dueAt) {
  if (!dueAt) return '';
  let s = Math.round((Date.parse(dueAt) - serverNow()) / 1000);
  const late = s < 0;
  s = Math.abs(s);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const body = (h ? h + 'h ' : '') + String(m).padStart(h ? 2 : 1, '0') + 'm ' + String(sec).padStart(2, '0') + 's';
  return late ? 'late ' + body : body;
}

export function paintCountdowns() {
  document.querySelectorAll('[data-due]').forEach((el) => {
    const due = el.getAttribute('data-due');
    el.textContent = formatDue(due);
    const left = Date.parse(due) - serverNow();
    el.classList.toggle('late', left < 0);
    el.classList.toggle('soon', left >= 0 && left < 10 * 60 * 1000);
  });
}

// Errors of the case pane are shown above its composer.
export function showError(e) { $('reply-error').textContent = e.message; }
