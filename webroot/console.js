// CareLoop console. Tweet text is hostile input: it is only ever set with textContent, never innerHTML.
'use strict';

const state = { csrf: null, user: null, roles: [], clockOffset: 0, selected: null, cursor: null, events: null };
const $ = (id) => document.getElementById(id);

async function api(method, path, body, extraHeaders) {
  const headers = { 'Accept': 'application/json', ...(extraHeaders || {}) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error((data && data.message) || res.statusText);
    err.status = res.status; err.body = data;
    throw err;
  }
  return data;
}

function text(tag, value, cls) {
  const el = document.createElement(tag);
  el.textContent = value == null ? '' : String(value);
  if (cls) el.className = cls;
  return el;
}

// The countdown is derived from the stored deadline and the server's clock, so every screen shows the same.
function serverNow() { return Date.now() + state.clockOffset; }
function syncClock(serverTime) { if (serverTime) state.clockOffset = Date.parse(serverTime) - Date.now(); }

function formatDue(dueAt) {
  if (!dueAt) return '';
  let s = Math.round((Date.parse(dueAt) - serverNow()) / 1000);
  const late = s < 0;
  s = Math.abs(s);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const body = (h ? h + 'h ' : '') + String(m).padStart(h ? 2 : 1, '0') + 'm ' + String(sec).padStart(2, '0') + 's';
  return late ? 'late ' + body : body;
}

function paintCountdowns() {
  document.querySelectorAll('[data-due]').forEach((el) => {
    const due = el.getAttribute('data-due');
    el.textContent = formatDue(due);
    const left = Date.parse(due) - serverNow();
    el.classList.toggle('late', left < 0);
    el.classList.toggle('soon', left >= 0 && left < 10 * 60 * 1000);
  });
}

async function loadQueue(append) {
  const filter = $('state-filter').value;
  const params = new URLSearchParams({ limit: '50' });
  if (filter) params.set('state', filter);
  if (append && state.cursor) params.set('cursor', state.cursor);
  const page = await api('GET', '/api/cases?' + params);
  syncClock(page.serverTime);
  const rows = $('queue-rows');
  if (!append) rows.replaceChildren();
  for (const c of page.items) rows.appendChild(queueRow(c));
  state.cursor = page.next;
  $('more').hidden = !page.next;
  $('queue-count').textContent = rows.children.length + (page.next ? '+' : '') + ' cases';
  paintCountdowns();
}

function queueRow(c) {
  const tr = document.createElement('tr');
  tr.dataset.caseId = c.id;
  tr.tabIndex = 0;
  if (state.selected === c.id) tr.classList.add('selected');
  const due = text('td', '', 'due');
  if (c.dueAt && (c.state === 'new' || c.state === 'claimed')) due.setAttribute('data-due', c.dueAt);
  tr.append(due, text('td', c.priority, 'prio-' + c.priority), text('td', '@' + (c.customer && c.customer.handle)),
    text('td', c.text, 'mention'), text('td', c.state + (c.assignee ? ' · ' + c.assignee : '')));
  tr.addEventListener('click', () => openCase(c.id));
  tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') openCase(c.id); });
  return tr;
}

async function openCase(id) {
  state.selected = id;
  document.querySelectorAll('#queue-rows tr').forEach((tr) => tr.classList.toggle('selected', tr.dataset.caseId === id));
  const c = await api('GET', '/api/cases/' + encodeURIComponent(id));
  syncClock(c.serverTime);
  $('case-view').hidden = false;
  $('case-title').textContent = 'Case ' + c.id;
  $('case-customer').textContent = '@' + c.customer.handle + ' (' + c.customer.followers + ' followers)';
  $('case-priority').textContent = c.priority;
  $('case-state').textContent = c.state;
  const due = $('case-due');
  if (c.dueAt && (c.state === 'new' || c.state === 'claimed')) due.setAttribute('data-due', c.dueAt); else { due.removeAttribute('data-due'); due.textContent = c.firstResponseSeconds != null ? 'first response in ' + c.firstResponseSeconds + ' s' : ''; }
  $('case-holder').textContent = c.assignee ? 'Held by ' + c.assignee : 'Unclaimed';
  const conv = $('conversation');
  conv.replaceChildren();
  for (const m of c.messages) {
    const li = text('li', '', m.from === 'brand' ? 'brand' : 'customer');
    li.append(text('strong', '@' + m.handle + ' '), text('span', m.text, 'tweet-text'));
    conv.appendChild(li);
  }
  const replies = $('replies');
  replies.replaceChildren();
  for (const r of c.replies || []) {
    const li = text('li', r.state + ': ' + r.text + (r.error ? ' — ' + r.error : ''), r.state);
    if (r.state === 'failed') {
      const retry = text('button', 'Retry');
      retry.type = 'button';
      retry.addEventListener('click', () => api('POST', '/api/cases/' + c.id + '/replies/' + r.id + '/retry').then(() => openCase(c.id)).catch(showReplyError));
      li.appendChild(retry);
    }
    replies.appendChild(li);
  }
  paintCountdowns();
}

function showReplyError(e) { $('reply-error').textContent = e.message; }

async function act(path, body) {
  if (!state.selected) return;
  $('reply-error').textContent = '';
  try {
    await api('POST', '/api/cases/' + state.selected + path, body);
  } catch (e) { showReplyError(e); }
  await Promise.all([openCase(state.selected), loadQueue(false)]);
}

let draftKey = null;
async function sendReply(ev) {
  ev.preventDefault();
  const value = $('reply-text').value;
  if (!state.selected || !value.trim()) return;
  // One key per draft: a double click or a retried request never posts twice.
  draftKey = draftKey || crypto.randomUUID();
  $('reply-send').disabled = true;
  try {
    await api('POST', '/api/cases/' + state.selected + '/reply', { text: value }, { 'Idempotency-Key': draftKey });
    $('reply-text').value = '';
    draftKey = null;
    $('reply-error').textContent = '';
    updateCount();
  } catch (e) {
    showReplyError(e);
  } finally {
    $('reply-send').disabled = false;
  }
  await Promise.all([openCase(state.selected), loadQueue(false)]);
}

let countTimer = null;
function updateCount() {
  clearTimeout(countTimer);
  draftKey = null;
  countTimer = setTimeout(async () => {
    const r = await api('POST', '/api/compose/length', { text: $('reply-text').value }).catch(() => null);
    if (!r) return;
    $('reply-count').textContent = r.weightedLength + ' / ' + r.limit;
    $('reply-count').classList.toggle('over', !r.valid && r.weightedLength > r.limit);
  }, 120);
}

async function loadSources() {
  const data = await api('GET', '/api/sources');
  syncClock(data.serverTime);
  const rows = $('source-rows');
  rows.replaceChildren();
  for (const s of data.items) {
    const tr = document.createElement('tr');
    // Lag: how long since this source last polled successfully, by the server's clock.
    const lag = s.lastSuccessAt ? Math.max(0, Math.round((serverNow() - Date.parse(s.lastSuccessAt)) / 1000)) + ' s ago' : 'never';
    const health = s.consecutiveFailures ? s.consecutiveFailures + ' failures: ' + s.lastError : 'ok';
    tr.append(text('td', s.kind === 'MENTIONS' ? 'mentions of @' + s.brand : 'search ' + s.query), text('td', lag),
      text('td', s.requests), text('td', s.postsReadThisMonth), text('td', health, s.consecutiveFailures ? 'error' : ''));
    rows.appendChild(tr);
  }
}

function connectEvents() {
  if (state.events) state.events.close();
  const es = new EventSource('/api/events');
  let pending = null;
  const refresh = () => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      loadQueue(false).catch(() => {});
      if (state.selected) openCase(state.selected).catch(() => {});
    }, 250);
  };
  es.addEventListener('case', refresh);
  es.addEventListener('source', () => loadSources().catch(() => {}));
  state.events = es;
}

function showConsole(me) {
  state.csrf = me.csrfToken; state.user = me.user; state.roles = me.roles;
  $('whoami').textContent = me.user + ' (' + me.roles.join(', ') + ')';
  $('login-view').hidden = true;
  $('console-view').hidden = false;
  $('logout').hidden = false;
  loadQueue(false);
  loadSources();
  connectEvents();
}

async function login(ev) {
  ev.preventDefault();
  $('login-error').textContent = '';
  try {
    const me = await api('POST', '/api/login', { username: $('username').value, password: $('password').value });
    showConsole(me);
  } catch (e) {
    $('login-error').textContent = e.status === 401 ? 'Wrong user name or password' : e.message;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', async () => { await api('POST', '/api/logout').catch(() => {}); location.reload(); });
  $('state-filter').addEventListener('change', () => loadQueue(false));
  $('more').addEventListener('click', () => loadQueue(true));
  $('claim').addEventListener('click', () => act('/claim'));
  $('resolve').addEventListener('click', () => act('/resolve'));
  $('dismiss').addEventListener('click', () => act('/dismiss', { reason: $('dismiss-reason').value }));
  $('reply-form').addEventListener('submit', sendReply);
  $('reply-text').addEventListener('input', updateCount);
  setInterval(paintCountdowns, 1000);
  api('GET', '/api/me').then(showConsole).catch(() => {});
});
