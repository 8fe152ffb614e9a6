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
  // A body that is not JSON (a proxy's error page) is no data: the status still says what happened.
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

// ---- the one notification area: above every dialog (a popover sits in the top layer), read out politely ----

// An undo stays longer than a notice; any toast waits while the pointer or focus is on it (WCAG 2.2.1: timing adjustable).
const SHOWN_MS = { info: 8000, action: 12000, error: 15000 };

/**
 * The area, in the top layer above everything open. While a modal dialog is open everything outside it is inert,
 * so the area moves into the topmost open dialog (and back to the page when that closes).
 */
function toastArea() {
  const area = $('toasts');
  const dialogs = [...document.querySelectorAll('dialog[open]')];
  const host = dialogs.length ? dialogs[dialogs.length - 1] : document.body;
  if (area.parentElement !== host) {
    if (area.matches(':popover-open')) area.hidePopover();
    host.appendChild(area);
  }
  // Shown again each time, so it lands above anything opened since.
  if (area.matches(':popover-open')) area.hidePopover();
  area.showPopover();
  return area;
}

// A dialog closing with toasts inside gives them back to the page.
document.addEventListener('close', (e) => {
  const area = $('toasts');
  if (area && e.target.contains && e.target.contains(area)) {
    if (area.children.length) toastArea(); else { if (area.matches(':popover-open')) area.hidePopover(); document.body.appendChild(area); }
  }
}, true);

function drop(el) {
  el.remove();
  const area = $('toasts');
  if (!area.children.length && area.matches(':popover-open')) area.hidePopover();
}

/**
 * Says {@code message} where it is seen: kind 'info' (8 s), 'error' (15 s, read out at once) or with an action
 * ({label, run}: run returns a Promise, its string result replaces the message). Every toast can be closed.
 */
export function toast(message, options) {
  const o = options || {};
  const kind = o.kind || (o.action ? 'action' : 'info');
  const el = document.createElement('div');
  el.className = 'toast ' + kind;
  if (kind === 'error') el.setAttribute('role', 'alert');
  const words = text('span', message);
  el.appendChild(words);
  const shownFor = o.ms || SHOWN_MS[kind];
  let timer = setTimeout(() => drop(el), shownFor);
  const hold = () => clearTimeout(timer);
  const release = () => { if (el.isConnected && !el.matches(':hover, :focus-within')) { clearTimeout(timer); timer = setTimeout(() => drop(el), 4000); } };
  el.addEventListener('pointerenter', hold);
  el.addEventListener('focusin', hold);
  el.addEventListener('pointerleave', release);
  el.addEventListener('focusout', () => setTimeout(release, 0));
  if (o.action) {
    const b = text('button', o.action.label, 'toast-action');
    b.type = 'button';
    b.addEventListener('click', async () => {
      clearTimeout(timer);
      b.disabled = true;
      try {
        const said = await o.action.run();
        words.textContent = typeof said === 'string' ? said : 'Done.';
      } catch (e) {
        words.textContent = 'Not done: ' + e.message;
        el.classList.add('error');
      }
      b.remove();
      timer = setTimeout(() => drop(el), 4000);
    });
    el.appendChild(b);
  }
  const close = text('button', '\u00d7', 'toast-close');
  close.type = 'button';
  close.setAttribute('aria-label', 'Close this message');
  close.addEventListener('click', () => { clearTimeout(timer); drop(el); });
  el.appendChild(close);
  toastArea().appendChild(el);
  return el;
}

export function notice(message) { return toast(message); }

const lastReported = new Map();

/**
 * A catch for work the user did not ask for just now (a heartbeat, a refresh, a side panel): the failure is said in
 * the notification area, in words, at most once a minute per {@code what}, instead of vanishing. A 503 while the
 * database is away is left to the degraded banner.
 */
export function report(what) {
  return (e) => {
    if (e && e.status === 503) return;
    const now = Date.now();
    if (now - (lastReported.get(what) || 0) < 60000) return;
    lastReported.set(what, now);
    toast('Could not ' + what + ': ' + ((e && e.message) || e), { kind: 'error' });
  };
}

// ---- errors in the dialog that caused them, next to their field ----

/**
 * Where a refusal points: the server's {@code field} (a JSON pointer, for bodies the contract refuses), or the
 * place a domain message starts with ("policies[0].id: duplicate id", "hours: …") turned into a pointer.
 */
export function fieldOf(e) {
  if (e && e.body && typeof e.body.field === 'string') return e.body.field;
  const m = /^([A-Za-z][\w]*(?:\.[A-Za-z]\w*|\[\d+\])*):\s/.exec((e && e.message) || '');
  if (!m) return null;
  return '/' + m[1].replace(/\[(\d+)\]/g, '.$1').split('.').join('/');
}

/** Clears the field errors shown in {@code container}. */
export function clearFieldErrors(container) {
  container.querySelectorAll('[aria-invalid="true"]').forEach((el) => {
    el.removeAttribute('aria-invalid');
    const said = el.dataset.errorId && document.getElementById(el.dataset.errorId);
    if (said) said.remove();
    el.removeAttribute('aria-describedby');
  });
}

let errorIds = 0;

/**
 * Shows a refusal in the dialog that caused it: next to its field when {@code resolve(pointer)} (default: the
 * element with {@code data-field} equal to the pointer's first step) finds one, focused, marked invalid and
 * described by the message; and in {@code line} (the dialog's message line) in any case.
 */
export function showFieldError(container, line, e, resolve) {
  clearFieldErrors(container);
  const pointer = fieldOf(e);
  const find = resolve || ((p) => container.querySelector('[data-field="' + CSS.escape(p.split('/')[1] || '') + '"]'));
  const input = pointer ? find(pointer) : null;
  if (line) line.textContent = e.message;
  if (!input) return false;
  const id = 'field-error-' + (++errorIds);
  const said = text('span', e.message, 'field-error');
  said.id = id;
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', id);
  input.dataset.errorId = id;
  input.insertAdjacentElement('afterend', said);
  input.focus();
  return true;
}

// ---- asking for one value, in a dialog (never window.prompt: a password typed there is shown in clear) ----

/**
 * Asks for one value in the shared dialog: {title, label, type ('text' | 'password'), value, minLength, maxLength,
 * autocomplete, submit: async (value) => message}. A refusal from {@code submit} is shown under the field and the
 * dialog stays open; success closes it and says {@code message} in the notification area.
 */
export function ask(options) {
  const dialog = $('ask-dialog');
  const input = $('ask-input');
  $('ask-title').textContent = options.title;
  $('ask-label').textContent = options.label;
  input.type = options.type || 'text';
  input.value = options.value || '';
  input.minLength = options.minLength || 0;
  input.maxLength = options.maxLength || 200;
  input.autocomplete = options.autocomplete || 'off';
  $('ask-error').textContent = '';
  clearFieldErrors(dialog);
  const form = $('ask-form');
  const submit = async (ev) => {
    ev.preventDefault();
    $('ask-error').textContent = '';
    $('ask-ok').disabled = true;
    try {
      const said = await options.submit(input.value);
      dialog.close();
      if (said) toast(said);
    } catch (e) {
      showFieldError(dialog, $('ask-error'), e, () => input);
    } finally {
      $('ask-ok').disabled = false;
    }
  };
  form.onsubmit = submit;
  $('ask-cancel').onclick = () => dialog.close();
  dialog.onclose = () => { input.value = ''; }; // a password never stays in the page
  dialog.showModal();
  input.focus();
  input.select();
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

// Errors of the case pane are shown under its composer; where there is none to see (a lead has no composer, or no
// case is open) they go to the notification area, so no refusal is written where nobody looks.
export function showError(e) {
  const line = $('reply-error');
  if (line.offsetParent !== null) line.textContent = e.message;
  else toast(e.message, { kind: 'error' });
}
