// CareLoop console. Text written by customers (and by anyone) is only ever set with textContent, never innerHTML.
'use strict';

const state = {
  csrf: null, user: null, roles: [], clockOffset: 0,
  view: 'unassigned', selected: null, current: null, cursor: null, events: null, heartbeat: null, draftKey: null,
  suggestions: [], kbArticleId: null, healthWatch: null
};
const VIEWS = ['mine', 'unassigned', 'open', 'breaching', 'dismissed'];
const VIEW_TITLES = { mine: 'Mine', unassigned: 'Unassigned', open: 'All open', breaching: 'Breaching soon', dismissed: 'Dismissed' };
const $ = (id) => document.getElementById(id);
const has = (role) => state.roles.includes(role) || state.roles.includes('admin');
// Who works cases (claims, replies, dismisses, notes): agents and community managers. A lead reads and assigns only.
// The server checks every route; this only keeps the console from offering what would be refused.
const works = () => has('agent') || has('community');

async function api(method, path, body, extraHeaders) {
  const headers = { 'Accept': 'application/json', ...(extraHeaders || {}) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.status === 503 && data && data.error === 'database-unavailable') showDegraded(true);
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

function notice(message) {
  const el = text('div', message, 'notice');
  $('notices').appendChild(el);
  setTimeout(() => el.remove(), 8000);
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

// ---- queue ----

async function loadQueue(append) {
  // A search or filter from the bar above the queue (console-find.js) is shown instead of the view.
  if (typeof findLoad === 'function') { const found = findLoad(append); if (found) return found; }
  const params = new URLSearchParams({ limit: '50', view: state.view });
  if ($('source-filter').value) params.set('source', $('source-filter').value);
  if (append && state.cursor) params.set('cursor', state.cursor);
  const page = await api('GET', '/api/cases?' + params);
  syncClock(page.serverTime);
  const rows = $('queue-rows');
  if (!append) rows.replaceChildren();
  for (const c of page.items) rows.appendChild(queueRow(c));
  state.cursor = page.next;
  $('more').hidden = !page.next;
  $('queue-title').textContent = VIEW_TITLES[state.view];
  $('queue-count').textContent = rows.children.length + (page.next ? '+' : '') + ' cases';
  showQueueEmpty();
  paintCountdowns();
}

function brandNames() {
  return state.brands && state.brands.length ? state.brands.map((b) => '@' + b).join(', ') : 'your brand';
}

// An empty view says what will fill it and how, in one sentence.
const EMPTY_QUEUE = {
  unassigned: () => 'Nothing waiting: new mentions of ' + brandNames() + ' land here as they are posted, read from X by the listening sources below.',
  mine: () => 'Nothing of yours: cases you claim (c) or a lead assigns to you show here until they are answered.',
  open: () => 'No open cases: every mention of ' + brandNames() + ' that needs an answer shows here from when it arrives until it is resolved or dismissed.',
  breaching: () => 'Nothing breaching: cases due within 15 minutes or already late show here, so they can be answered first.',
  dismissed: () => 'Nothing dismissed: mentions dismissed as spam, praise or no action needed are kept here.'
};

function showQueueEmpty() {
  const empty = $('queue-rows').children.length === 0;
  $('queue-empty').hidden = !empty;
  if (empty) {
    $('queue-empty').textContent = EMPTY_QUEUE[state.view]() +
      ($('source-filter').value ? ' Only one source is shown; choose "all sources" to see the rest.' : '');
  }
}

async function loadCounts() {
  const counts = await api('GET', '/api/cases/counts');
  document.querySelectorAll('[data-count]').forEach((el) => { el.textContent = '(' + counts[el.dataset.count] + ')'; });
}

function queueRow(c) {
  const tr = document.createElement('tr');
  tr.dataset.caseId = c.id;
  tr.tabIndex = -1;
  if (state.selected === c.id) tr.classList.add('selected');
  if (c.breached) tr.classList.add('breached');
  const due = text('td', c.state === 'dismissed' ? (c.dismissReason || 'dismissed') : '', 'due');
  if (c.dueAt && (c.state === 'new' || c.state === 'claimed')) due.setAttribute('data-due', c.dueAt);
  const holder = c.assignee && c.claimExpiresAt && Date.parse(c.claimExpiresAt) > serverNow() ? ' · ' + c.assignee : '';
  tr.append(due, text('td', c.priority, 'prio-' + c.priority), text('td', '@' + (c.customer && c.customer.handle)),
    text('td', c.text, 'mention'), text('td', c.state + holder));
  tr.addEventListener('click', () => openCase(c.id));
  return tr;
}

function setView(view) {
  state.view = view;
  state.cursor = null;
  document.querySelectorAll('#views [data-view]').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.view === view)));
  loadQueue(false).catch(showError);
}

function moveSelection(step) {
  const rows = [...document.querySelectorAll('#queue-rows tr[data-case-id]')];
  if (!rows.length) return;
  const at = rows.findIndex((r) => r.dataset.caseId === state.selected);
  const next = rows[Math.max(0, Math.min(rows.length - 1, at < 0 ? 0 : at + step))];
  openCase(next.dataset.caseId).catch(showError);
}

// ---- case ----

async function openCase(id) {
  const switching = state.selected !== id;
  state.selected = id;
  document.querySelectorAll('#queue-rows tr').forEach((tr) => tr.classList.toggle('selected', tr.dataset.caseId === id));
  const c = await api('GET', '/api/cases/' + encodeURIComponent(id));
  if (state.selected !== id) return;
  state.current = c;
  syncClock(c.serverTime);
  $('case-view').hidden = false;
  $('case-title').textContent = 'Case ' + c.id;
  $('case-customer').textContent = '@' + c.customer.handle + ' (' + c.customer.followers + ' followers) to @' + c.brand;
  // Why the case has its priority (keywords, meaning, audience), so an agent can see what CareLoop read.
  $('case-priority').textContent = c.priority + (c.escalated ? ' (escalated)' : '') + (c.priorityReason ? ' (' + c.priorityReason + ')' : '');
  $('case-state').textContent = c.state + (c.dismissReason ? ': ' + c.dismissReason : '') + (c.customerConfirmed ? ' · customer confirmed' : '');
  $('case-state').title = c.turn ? c.turn.reason : '';
  if (window.safetyShowCase) safetyShowCase(c);
  // A closed case offers Reopen only: claiming, resolving or dismissing it again would be refused (409).
  const open = c.state !== 'dismissed' && c.state !== 'resolved';
  for (const id of ['claim', 'resolve', 'dismiss', 'dismiss-reason', 'dismiss-label']) $(id).hidden = !works() || !open;
  $('case-policy').textContent = c.slaPolicyId ? '[' + c.slaMetric + ', policy ' + c.slaPolicyId + ']' : '';
  const due = $('case-due');
  if (c.dueAt && (c.state === 'new' || c.state === 'claimed')) due.setAttribute('data-due', c.dueAt);
  else { due.removeAttribute('data-due'); due.textContent = c.firstResponseSeconds != null ? 'first response in ' + c.firstResponseSeconds + ' s' : ''; }
  const held = c.assignee && c.claimExpiresAt && Date.parse(c.claimExpiresAt) > serverNow();
  $('case-holder').textContent = held ? 'Held by ' + c.assignee : (c.assignee ? 'Claim by ' + c.assignee + ' lapsed' : 'Unclaimed');
  showViewers(c.viewers || []);
  if (typeof caseShown === 'function') caseShown(c);
  renderList('conversation', c.messages, conversationItem);
  renderList('replies', c.replies || [], (r) => {
    const li = text('li', r.state + ': ' + r.text + (r.error ? ' — ' + r.error : ''), r.state);
    if (r.state === 'failed' && works()) {
      const retry = text('button', 'Retry');
      retry.type = 'button';
      retry.addEventListener('click', () => api('POST', '/api/cases/' + c.id + '/replies/' + r.id + '/retry').then(refresh).catch(showError));
      li.appendChild(retry);
    }
    return li;
  });
  renderList('notes', c.notes || [], (n) => text('li', n.author + ': ' + n.text));
  if (!(c.notes || []).length) {
    $('notes').appendChild(text('li', works() ? 'No notes yet: notes added below are for the team; the customer never sees them.' : 'No notes on this case.', 'empty'));
  }
  if (switching) $('tags').value = (c.tags || []).join(', ');
  renderList('history', c.customerHistory || [], (h) => text('li', h.createdAt.substring(0, 10) + ' · ' + h.state + ' · ' + h.text));
  if (!(c.customerHistory || []).length) $('history').appendChild(text('li', 'No earlier cases: this is the first time @' + c.customer.handle + ' has written to us.', 'empty'));
  api('GET', '/api/cases/' + c.id + '/sla-events').then((ev) => {
    renderList('sla-events', ev.items, (e) => text('li', e.at.substring(11, 19) + ' ' + e.metric + ' ' + e.kind + (e.met === false ? ' (late)' : '') + (e.escalated ? ' (escalated)' : '')));
  }).catch(() => {});
  if (switching) {
    state.draftKey = null;
    state.kbArticleId = null;
    startViewing(c.id);
    loadSuggestions(c.id).catch(() => {});
  }
  paintCountdowns();
}

// "3 min ago", "2 h ago", "4 Nov": the absolute time is on hover (title) and in the <time> element's datetime.
function relativeTime(iso) {
  const s = Math.round((serverNow() - Date.parse(iso)) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return Math.floor(s / 60) + ' min ago';
  if (s < 86400) return Math.floor(s / 3600) + ' h ago';
  return new Date(Date.parse(iso)).toLocaleDateString([], { day: 'numeric', month: 'short' });
}

// One message as on X: who (name and handle), when, the post on X, and for the brand's replies which agent sent it.
// Everything here came from X or from a customer: text only, and the link is one the server built from digits.
function conversationItem(m) {
  const li = text('li', '', m.from === 'brand' ? 'brand' : 'customer');
  const head = document.createElement('div');
  head.className = 'msg-head';
  const author = m.author || { handle: m.handle };
  if (author.name) head.appendChild(text('strong', author.name + ' '));
  head.appendChild(text(author.name ? 'span' : 'strong', '@' + (author.handle || m.handle) + ' ', author.name ? 'muted' : null));
  if (m.at) {
    const when = text('time', relativeTime(m.at));
    when.dateTime = m.at;
    when.title = new Date(Date.parse(m.at)).toLocaleString();
    head.appendChild(when);
  }
  if (m.sentBy && m.sentBy.username) head.appendChild(text('span', ' · sent by ' + m.sentBy.username, 'muted'));
  if (m.url) {
    const a = text('a', 'on X');
    a.href = m.url;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    head.append(' · ', a);
  }
  li.append(head, text('span', m.text, 'tweet-text'));
  return li;
}

function renderList(id, items, make) {
  const list = $(id);
  list.replaceChildren(...items.map(make));
}

function showViewers(viewers) {
  const others = viewers.filter((v) => v !== state.user);
  $('case-viewers').textContent = others.length ? '· also viewing: ' + others.join(', ') : '';
}

// Heartbeat while a case is open, so others see who is looking at it.
function startViewing(id) {
  clearInterval(state.heartbeat);
  const beat = () => api('POST', '/api/cases/' + id + '/viewing').then((r) => { if (state.selected === id) { showViewers(r.viewers); if (typeof claimBeat === 'function') claimBeat(r); } }).catch(() => {});
  beat();
  state.heartbeat = setInterval(beat, 10000);
}

function showError(e) { $('reply-error').textContent = e.message; }

async function refresh() {
  await Promise.all([state.selected ? openCase(state.selected) : null, loadQueue(false), loadCounts()]);
}

async function act(path, body) {
  if (!state.selected) return;
  $('reply-error').textContent = '';
  try {
    await api('POST', '/api/cases/' + state.selected + path, body);
  } catch (e) { showError(e); }
  await refresh();
}

async function sendReply(ev) {
  if (ev) ev.preventDefault();
  const value = $('reply-text').value;
  if (!state.selected || !value.trim()) return;
  // One key per draft: a double click or a retried request never posts twice.
  state.draftKey = state.draftKey || crypto.randomUUID();
  $('reply-send').disabled = true;
  try {
    const reply = { text: value };
    if (state.kbArticleId) reply.kbArticleId = state.kbArticleId;
    await api('POST', '/api/cases/' + state.selected + '/reply', reply, { 'Idempotency-Key': state.draftKey });
    $('reply-text').value = '';
    state.draftKey = null;
    state.kbArticleId = null;
    $('reply-error').textContent = '';
    // Sent: back to the queue, so j/k move on at once.
    $('reply-text').blur();
    updateCount();
  } catch (e) {
    showError(e);
  } finally {
    $('reply-send').disabled = false;
  }
  await refresh();
}

let countTimer = null;
function updateCount(edited) {
  clearTimeout(countTimer);
  if (edited) state.draftKey = null;
  countTimer = setTimeout(async () => {
    const r = await api('POST', '/api/compose/length', { text: $('reply-text').value }).catch(() => null);
    if (!r) return;
    $('reply-count').textContent = r.weightedLength + ' / ' + r.limit;
    $('reply-count').classList.toggle('over', !r.valid && r.weightedLength > r.limit);
  }, 120);
}

async function loadCanned() {
  const data = await api('GET', '/api/canned');
  const select = $('canned');
  select.replaceChildren(text('option', data.items.length ? 'Insert a canned response…'
    : 'No canned responses yet: a community manager adds them under Canned responses'));
  select.firstChild.value = '';
  for (const c of data.items) {
    const o = text('option', c.title);
    o.value = c.id;
    select.appendChild(o);
  }
}

// ---- knowledge base ----

async function loadSuggestions(caseId) {
  const r = await api('GET', '/api/kb/suggest?caseId=' + encodeURIComponent(caseId));
  if (state.selected !== caseId) return;
  state.suggestions = r.items;
  // Only suggestions above the relevance floor come back, so `i` never inserts a guess.
  renderList('suggestions', r.items, (a, i) => {
    const li = text('li', a.title);
    const why = { words: 'by words', meaning: 'by meaning', both: 'by words and meaning' }[a.why] || '';
    li.appendChild(text('span', Math.round(a.score * 100) + '% match ' + why, 'confidence'));
    if (works()) {
      const insert = text('button', i === 0 ? 'Insert link (i)' : 'Insert link');
      insert.type = 'button';
      insert.addEventListener('click', () => insertArticleLink(a).catch(showError));
      li.appendChild(insert);
    }
    return li;
  });
  if (!r.items.length) {
    $('suggestions').appendChild(text('li', 'No article is confident enough to suggest: published knowledge-base articles whose words or meaning match this mention show here.', 'muted'));
  }
}

/** A tracked short link for this article in this case goes into the reply; the reply records the article. */
async function insertArticleLink(article) {
  if (!article || !state.selected || !works()) return;
  const link = await api('POST', '/api/kb/articles/' + article.id + '/links', { caseId: state.selected });
  const box = $('reply-text');
  box.value = (box.value ? box.value + ' ' : '') + link.url;
  state.kbArticleId = article.id;
  box.focus();
  updateCount(true);
}

function kbDraft() {
  return {
    title: $('kb-title-input').value.trim(), question: $('kb-question').value.trim(),
    steps: $('kb-steps').value.split('\n').map((x) => x.trim()).filter(Boolean),
    product: $('kb-product').value.trim(), tags: list($('kb-tags').value.toLowerCase()), status: $('kb-status').value
  };
}

async function searchKb(e) {
  if (e) e.preventDefault();
  const q = $('kb-q').value.trim();
  const r = await api('GET', '/api/kb/articles' + (q ? '?q=' + encodeURIComponent(q) : ''));
  renderList('kb-list', r.items, (a) => {
    const li = text('li', a.title + ' (' + a.status + ', rev ' + a.revision + ') ');
    const edit = text('button', 'Edit');
    edit.type = 'button';
    edit.addEventListener('click', () => editArticle(a.id).catch(showKbError));
    li.appendChild(edit);
    return li;
  });
  if (!r.items.length) {
    $('kb-list').appendChild(text('li', q ? 'No article matches “' + q + '”: try other words, or write it with New article.'
      : 'No articles yet: New article writes the first; once published it is suggested to agents and appears on /kb/.', 'empty'));
  }
}

function newArticle() {
  $('kb-form').reset();
  $('kb-id').value = '';
  $('kb-revisions').replaceChildren();
  $('kb-message').textContent = '';
  $('kb-save-anyway').hidden = true;
  $('kb-title-input').focus();
}

async function editArticle(id) {
  const a = await api('GET', '/api/kb/articles/' + id);
  $('kb-id').value = a.id;
  $('kb-title-input').value = a.title;
  $('kb-question').value = a.question;
  $('kb-steps').value = a.steps.join('\n');
  $('kb-product').value = a.product || '';
  $('kb-tags').value = a.tags.join(', ');
  $('kb-status').value = a.status;
  $('kb-message').textContent = '';
  $('kb-save-anyway').hidden = true;
  const revs = await api('GET', '/api/kb/articles/' + id + '/revisions');
  renderList('kb-revisions', revs.items, (r) => text('li', 'rev ' + r.revision + ' by ' + r.replacedBy + ' at ' + r.at + ': ' + r.article.title));
}

function showKbError(e) { $('kb-message').textContent = e.message; }

async function saveArticle(allowDuplicate) {
  const id = $('kb-id').value;
  const body = { ...kbDraft(), allowDuplicate };
  try {
    const saved = id ? await api('PUT', '/api/kb/articles/' + id, body) : await api('POST', '/api/kb/articles', body);
    $('kb-id').value = saved.id;
    $('kb-save-anyway').hidden = true;
    const a = saved.affected || {};
    const parts = [];
    if (a.openCases && a.openCases.length) parts.push('open cases ' + a.openCases.join(', '));
    if (a.replies && a.replies.length) parts.push(a.replies.length + ' replies in ' + a.cases.length + ' cases');
    if (a.posts && a.posts.length) parts.push('blog posts: ' + a.posts.map((p) => p.title + ' (' + p.status + ')').join('; '));
    const affected = parts.length ? ' It was linked in ' + parts.join(', ') + ': check those answers still hold.' : '';
    $('kb-message').textContent = 'Saved (/kb/' + saved.slug + ').' + affected;
    await searchKb();
  } catch (e) {
    if (e.body && e.body.error === 'duplicate-article') {
      $('kb-message').textContent = 'An article already answers this: "' + e.body.duplicateOf.title + '" (/kb/' + e.body.duplicateOf.slug + '). Edit that one, or save anyway.';
      $('kb-save-anyway').hidden = false;
    } else {
      showKbError(e);
    }
  }
}

// ---- administration ----

async function loadUsers() {
  const r = await api('GET', '/api/users');
  renderList('user-rows', r.items, (u) => {
    const tr = document.createElement('tr');
    tr.dataset.user = u.username;
    const actions = text('td', '');
    const toggle = text('button', u.disabled ? 'Enable' : 'Disable');
    toggle.type = 'button';
    toggle.addEventListener('click', () => adminDo('PATCH', '/api/users/' + encodeURIComponent(u.username), { disabled: !u.disabled }));
    const roles = document.createElement('select');
    roles.setAttribute('aria-label', 'Role of ' + u.username);
    for (const r of ['agent', 'community', 'lead', 'admin']) { const o = text('option', r); o.selected = u.roles.includes(r); roles.appendChild(o); }
    roles.addEventListener('change', () => adminDo('PATCH', '/api/users/' + encodeURIComponent(u.username), { roles: [roles.value] }));
    const reset = text('button', 'Reset password');
    reset.type = 'button';
    reset.addEventListener('click', () => {
      const password = window.prompt('New password for ' + u.username + ' (12 characters or more)');
      if (password) adminDo('PUT', '/api/users/' + encodeURIComponent(u.username) + '/password', { password });
    });
    actions.append(roles, toggle, reset);
    tr.append(text('td', u.username), text('td', u.roles.join(', ')), text('td', u.disabled ? 'disabled' : 'active'), actions);
    return tr;
  });
}

async function loadBrands() {
  const r = await api('GET', '/api/brands');
  renderList('brand-rows', r.items, (b) => {
    const tr = document.createElement('tr');
    tr.dataset.brand = b.handle;
    const rename = text('button', 'Rename');
    rename.type = 'button';
    rename.addEventListener('click', () => {
      const name = window.prompt('New name for @' + b.handle, b.name);
      if (name && name.trim()) adminDo('PATCH', '/api/brands/' + encodeURIComponent(b.handle), { name: name.trim() });
    });
    const actions = text('td', '');
    actions.append(rename);
    tr.append(text('td', '@' + b.handle), text('td', b.name), text('td', b.userId),
      text('td', b.canPost ? 'posts as @' + b.handle : 'not connected: no posting token'), actions);
    return tr;
  });
  const select = $('new-keyword-brand');
  const chosen = select.value;
  select.replaceChildren(...r.items.map((b) => { const o = text('option', '@' + b.handle); o.value = b.handle; return o; }));
  if (chosen) select.value = chosen;
}

async function loadBackups() {
  const b = await api('GET', '/api/admin/backups');
  $('backup-now').disabled = !b.embedded;
  if (!b.embedded) $('backup-info').textContent = 'CareLoop runs on a real MongoDB: back it up with mongodump or its own snapshots.';
  renderList('backup-rows', b.items, (item) => {
    const tr = document.createElement('tr');
    tr.append(text('td', item.name), text('td', (item.bytes / 1048576).toFixed(1) + ' MiB'), text('td', new Date(item.at).toLocaleString()));
    return tr;
  });
  $('backups-empty').hidden = !b.embedded || b.items.length > 0;
}

async function backUpNow() {
  $('backup-now').disabled = true;
  $('admin-message').textContent = 'Backing up…';
  try {
    const b = await api('POST', '/api/admin/backups');
    $('admin-message').textContent = 'Backup ' + b.name + ' taken and verified: ' + b.documents + ' documents in ' + b.tookMillis + ' ms.';
  } catch (e) {
    $('admin-message').textContent = e.message;
  }
  $('backup-now').disabled = false;
  await loadBackups().catch(showError);
}

async function loadNodes() {
  const c = await api('GET', '/api/admin/cluster');
  renderList('node-rows', c.nodes, (n) => {
    const tr = document.createElement('tr');
    tr.dataset.node = n.id;
    const holds = c.leases.filter((l) => l.holder === n.id)
      .map((l) => l.name + ' (token ' + l.token + ', ' + Math.round(l.heldForMs / 1000) + ' s)');
    tr.append(text('td', n.id + (n.self ? ' (serving this console)' : '')), text('td', n.alive ? 'alive' : 'stopped'),
      text('td', n.seenAgoMs == null ? '' : (n.seenAgoMs / 1000).toFixed(1) + ' s ago'), text('td', holds.join(', ') || 'nothing'));
    return tr;
  });
}

async function adminDo(method, path, body) {
  try {
    await api(method, path, body);
    $('admin-message').textContent = 'Done.';
  } catch (e) {
    $('admin-message').textContent = e.message;
  }
  await Promise.all([loadUsers(), loadBrands(), loadSources(), loadNodes()]).catch(() => {});
}

async function loadAudit(e) {
  if (e) e.preventDefault();
  const action = $('audit-action').value;
  const r = await api('GET', '/api/audit?limit=100' + (action ? '&action=' + encodeURIComponent(action) : ''));
  renderList('audit-rows', r.items, (a) => {
    const tr = document.createElement('tr');
    tr.append(text('td', a.at.replace('T', ' ').substring(0, 19)), text('td', a.actor), text('td', a.action), text('td', a.target));
    return tr;
  });
  $('audit-empty').hidden = r.items.length > 0;
  $('audit-empty').textContent = action
    ? 'No ' + action + ' entries yet: one is recorded here each time someone does that.'
    : 'Nothing audited yet: replies, dismissals, publications, policy, user and source changes are recorded here as they happen.';
}

async function openCannedManager() {
  await loadCanned();
  const data = await api('GET', '/api/canned');
  renderList('canned-list', data.items, (c) => {
    const li = text('li', c.id + ': ' + c.title + ' — ' + c.body);
    const edit = text('button', 'Edit');
    edit.type = 'button';
    edit.addEventListener('click', () => { $('canned-id').value = c.id; $('canned-title-input').value = c.title; $('canned-body').value = c.body; });
    li.appendChild(edit);
    return li;
  });
  if (!data.items.length) $('canned-list').appendChild(text('li', 'None yet: the first one you save below shows here and in every agent\'s Canned (t) list.', 'empty'));
  $('canned-error').textContent = '';
  $('canned-dialog').showModal();
}

async function saveCannedResponse(e) {
  e.preventDefault();
  try {
    await api('PUT', '/api/canned/' + encodeURIComponent($('canned-id').value.trim()),
      { title: $('canned-title-input').value.trim(), body: $('canned-body').value });
    $('canned-form').reset();
    await openCannedManager();
    notice('Canned response saved.');
  } catch (err) {
    $('canned-error').textContent = err.message;
  }
}

async function insertCanned() {
  const id = $('canned').value;
  if (!id || !state.selected) return;
  const r = await api('POST', '/api/cases/' + state.selected + '/canned/' + encodeURIComponent(id));
  const box = $('reply-text');
  box.value = box.value ? box.value + ' ' + r.text : r.text;
  $('canned').value = '';
  box.focus();
  updateCount(true);
}

// ---- sources, service levels ----

async function loadSources() {
  const data = await api('GET', '/api/sources');
  syncClock(data.serverTime);
  const filter = $('source-filter');
  if (filter.options.length !== data.items.length + 1) {
    const chosen = filter.value;
    filter.replaceChildren(text('option', 'all sources'), ...data.items.map((s) => {
      const o = text('option', s.kind === 'MENTIONS' ? '@' + s.brand + ' mentions' : 'search ' + s.query);
      o.value = s.id;
      return o;
    }));
    filter.firstChild.value = '';
    filter.value = chosen;
  }
  const budget = data.readBudget;
  $('read-budget').textContent = 'This month the X account has read ' + budget.used + ' of its ' + budget.cap + ' posts'
    + (budget.used + budget.page > budget.cap ? ': the cap is reached, polling waits for next month.' : '.');
  $('read-budget').className = budget.used + budget.page > budget.cap ? 'error' : 'muted';
  // Rows are kept and updated in place (this refreshes on every poll): a button never disappears under the pointer.
  const body = $('source-rows');
  const seen = new Set();
  for (const s of data.items) {
    seen.add(s.id);
    let tr = body.querySelector('tr[data-source-row="' + CSS.escape(s.id) + '"]');
    if (!tr) {
      tr = document.createElement('tr');
      tr.dataset.sourceRow = s.id;
      for (let i = 0; i < 6; i++) tr.appendChild(document.createElement('td'));
      if (has('admin')) {
        const toggle = document.createElement('button');
        toggle.type = 'button';
        toggle.dataset.source = s.id;
        toggle.addEventListener('click', () => api('PATCH', '/api/sources/' + s.id, { paused: toggle.dataset.paused !== 'true' }).then(loadSources).catch(showError));
        tr.children[5].appendChild(toggle);
      }
      body.appendChild(tr);
    }
    // Lag: how long since this source last polled successfully, by the server's clock.
    const lag = s.lastSuccessAt ? Math.max(0, Math.round((serverNow() - Date.parse(s.lastSuccessAt)) / 1000)) + ' s ago' : 'never';
    const health = s.paused ? 'paused' : s.capReached ? 'waiting: ' + s.lastError
      : s.consecutiveFailures ? s.consecutiveFailures + ' failures: ' + s.lastError : 'ok';
    const cells = tr.children;
    cells[0].textContent = s.kind === 'MENTIONS' ? 'mentions of @' + s.brand : 'search ' + s.query + ' (@' + s.brand + ')';
    cells[1].textContent = lag;
    cells[2].textContent = String(s.requests);
    cells[3].textContent = s.postsReadThisMonth + ' / ' + s.monthlyReadCap + ' (' + s.projectedMonthReads + ' by month end)';
    cells[4].textContent = health;
    cells[4].className = s.consecutiveFailures || s.capReached ? 'error' : '';
    const toggle = cells[5].querySelector('button');
    if (toggle) {
      toggle.dataset.paused = String(s.paused);
      toggle.textContent = s.paused ? 'Resume' : 'Pause';
    }
  }
  for (const tr of [...body.children]) if (!seen.has(tr.dataset.sourceRow)) tr.remove();
  $('sources-empty').hidden = data.items.length > 0;
}

const PRIORITIES = ['urgent', 'high', 'normal', 'low'];
const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

function field(labelText, input) {
  const label = text('label', labelText);
  const id = 'f' + Math.random().toString(36).slice(2);
  input.id = id;
  label.htmlFor = id;
  return [label, input];
}

function input(type, value, attrs) {
  const el = document.createElement('input');
  el.type = type;
  if (type === 'checkbox') el.checked = !!value; else el.value = value == null ? '' : String(value);
  Object.assign(el, attrs || {});
  return el;
}

function row(...children) {
  const div = document.createElement('div');
  div.className = 'row';
  div.append(...children.flat());
  return div;
}

// One fieldset per policy; read back by readPolicy.
function policyEditor(p) {
  const fs = document.createElement('fieldset');
  fs.className = 'policy';
  fs.append(text('legend', p.name || p.id));
  const when = p.when || {};
  fs.append(row(field('Id', input('text', p.id, { className: 'p-id', maxLength: 40 })), field('Name', input('text', p.name, { className: 'p-name', maxLength: 120 }))));
  fs.append(row(text('span', 'Applies to priorities (none ticked = all):'),
    ...PRIORITIES.map((pr) => field(pr, input('checkbox', (when.priorities || []).includes(pr), { className: 'p-prio', value: pr })))));
  fs.append(row(field('Keywords (comma-separated)', input('text', (when.keywords || []).join(', '), { className: 'p-keywords' })),
    field('Min. followers', input('number', when.minFollowers || 0, { className: 'p-followers', min: 0 }))));
  fs.append(row(field('Sources (comma-separated ids)', input('text', (when.sources || []).join(', '), { className: 'p-sources' }))));
  for (const [key, title] of [['firstResponseMinutes', 'First response (min)'], ['nextResponseMinutes', 'Next response (min)']]) {
    fs.append(row(text('span', title + ':'), ...PRIORITIES.map((pr) => field(pr, input('number', p[key][pr], { className: 'p-' + key + '-' + pr, min: 1 })))));
  }
  fs.append(row(field('Business hours only', input('checkbox', p.businessHours, { className: 'p-business' })),
    field('Warn at (% of target)', input('number', Math.round((p.warnShare || 0.75) * 100), { className: 'p-warn', min: 1, max: 99 })),
    field('Escalate on breach', input('checkbox', p.escalateOnBreach, { className: 'p-escalate' }))));
  const up = text('button', 'Move up'); up.type = 'button';
  const remove = text('button', 'Remove'); remove.type = 'button';
  up.addEventListener('click', () => { if (fs.previousElementSibling) fs.parentNode.insertBefore(fs, fs.previousElementSibling); });
  remove.addEventListener('click', () => fs.remove());
  fs.append(row(up, remove));
  return fs;
}

const list = (v) => v.split(',').map((x) => x.trim()).filter(Boolean);

function readPolicy(fs) {
  const q = (cls) => fs.querySelector('.' + cls);
  const targets = (key) => Object.fromEntries(PRIORITIES.map((pr) => [pr, Number(q('p-' + key + '-' + pr).value)]));
  return {
    id: q('p-id').value.trim(), name: q('p-name').value.trim(),
    when: {
      priorities: [...fs.querySelectorAll('.p-prio')].filter((c) => c.checked).map((c) => c.value),
      keywords: list(q('p-keywords').value), sources: list(q('p-sources').value), minFollowers: Number(q('p-followers').value || 0)
    },
    firstResponseMinutes: targets('firstResponseMinutes'), nextResponseMinutes: targets('nextResponseMinutes'),
    businessHours: q('p-business').checked, warnShare: Number(q('p-warn').value) / 100, escalateOnBreach: q('p-escalate').checked
  };
}

function showBook(book) {
  $('sla-policies').replaceChildren(...book.policies.map(policyEditor));
  $('sla-zone').value = book.hours.zone;
  $('sla-days').replaceChildren(...DAYS.map((d) => {
    const windows = (book.hours.weekly[d] || []).map((w) => w[0] + '-' + w[1]).join(', ');
    return row(field(d.charAt(0) + d.slice(1).toLowerCase(), input('text', windows, { className: 'd-' + d, placeholder: 'closed' })));
  }));
  $('sla-holidays').value = (book.hours.holidays || []).join('\n');
}

function readBook() {
  const weekly = {};
  for (const d of DAYS) {
    const windows = list(document.querySelector('.d-' + d).value).map((w) => w.split('-').map((x) => x.trim()));
    if (windows.length) weekly[d] = windows;
  }
  return {
    policies: [...document.querySelectorAll('#sla-policies fieldset.policy')].map(readPolicy),
    hours: { zone: $('sla-zone').value.trim(), weekly, holidays: $('sla-holidays').value.split(/\s+/).filter(Boolean) }
  };
}

async function openSla() {
  $('sla-error').textContent = '';
  showBook(await api('GET', '/api/sla'));
  $('sla-dialog').showModal();
}

function addPolicy() {
  const first = readPolicy(document.querySelector('#sla-policies fieldset.policy'));
  $('sla-policies').prepend(policyEditor({ ...first, id: 'policy-' + ($('sla-policies').children.length + 1), name: 'New policy' }));
}

async function saveSla() {
  try {
    showBook(await api('PUT', '/api/sla', readBook()));
    $('sla-error').textContent = '';
    notice('Service levels saved; they apply to deadlines set from now on.');
  } catch (e) {
    $('sla-error').textContent = e.message;
  }
}

// ---- degraded state ----

// Readiness is the server's own verdict on the database; while it fails the console says so and keeps checking.
function showDegraded(down) {
  const wasDown = !$('degraded').hidden;
  $('degraded').hidden = !down;
  if (wasDown && !down) refresh().catch(() => {});
}

function watchHealth() {
  if (state.healthWatch) return;
  const check = () => fetch('/health/ready', { cache: 'no-store' })
    .then((r) => showDegraded(!r.ok), () => showDegraded(true));
  check();
  state.healthWatch = setInterval(check, 5000);
}

// ---- live updates ----

function connectEvents() {
  if (state.events) state.events.close();
  const es = new EventSource('/api/events');
  let pending = null;
  const soon = () => {
    clearTimeout(pending);
    pending = setTimeout(() => refresh().catch(() => {}), 250);
  };
  es.addEventListener('case', soon);
  es.addEventListener('sla', (m) => {
    const e = JSON.parse(m.data);
    if (e.caseId === state.selected || e.kind === 'warning' || e.kind === 'breached') soon();
  });
  es.addEventListener('viewers', (m) => {
    const e = JSON.parse(m.data);
    if (e.caseId === state.selected) showViewers(e.viewers);
  });
  es.addEventListener('escalation', (m) => {
    const e = JSON.parse(m.data);
    notice('Escalated: case ' + e.caseId + ' breached its target and is now ' + e.priority + '.');
  });
  es.addEventListener('source', () => loadSources().catch(() => {}));
  state.events = es;
}

// ---- keyboard ----

function typing(target) {
  return target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT');
}

/**
 * Whether a key press belongs to something other than the queue: a dialog or modal shown, a menu or listbox open, or
 * focus in a field (a shortcut behind a dialog once dismissed a customer's praise as spam: issue 21).
 */
function keysTaken(target) {
  if (typing(target) || (target && target.isContentEditable)) return true;
  if (document.querySelector('dialog[open], [aria-modal="true"]:not([hidden]), [role="menu"]:not([hidden]), [role="listbox"]:not([hidden])')) return true;
  return !!(target && target.closest && target.closest('dialog, [role="menu"], [role="listbox"], [role="dialog"]'));
}

function onKey(e) {
  if ($('console-view').hidden) return;
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && e.target.id === 'reply-text' && works()) { e.preventDefault(); sendReply(); return; }
  // Escape is left to the dialog (it closes itself) or leaves the field.
  if (e.key === 'Escape') { if (typing(e.target)) e.target.blur(); return; }
  if (keysTaken(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
  // A user may turn single-key shortcuts off (WCAG 2.1.4): then only modified keys (Ctrl+Enter) act.
  if (window.singleKeyShortcutsOn && !window.singleKeyShortcutsOn()) return;
  if (!works() && 'cedrti1'.includes(e.key)) return; // a lead reads cases: nothing to claim, answer or dismiss
  const actions = {
    'j': () => moveSelection(1), 'ArrowDown': () => moveSelection(1),
    'k': () => moveSelection(-1), 'ArrowUp': () => moveSelection(-1),
    'c': () => act('/claim'), 'e': () => closeCase('/resolve'),
    // Never a dismissal in one key: d opens the reason picker, Enter there dismisses.
    'd': () => pickDismissReason(),
    'r': () => $('reply-text').focus(), 't': () => $('canned').focus(),
    'i': () => insertArticleLink(state.suggestions[0]).catch(showError),
    '?': () => $('help').showModal(),
    '1': () => setView('mine'), '2': () => setView('unassigned'), '3': () => setView('open'),
    '4': () => setView('breaching'), '5': () => setView('dismissed')
  };
  const action = actions[e.key];
  if (action) { e.preventDefault(); action(); }
}

// ---- analytics for leads: charts drawn by Chart.js (webroot/vendor) ----

const charts = {};
window.careloopCharts = charts; // read by the browser tests to see that charts redraw
let analyticsTimer = null;

function isoDay(d) { return d.toISOString().slice(0, 10); }

function duration(seconds) {
  if (seconds == null) return '–';
  if (seconds < 120) return seconds + ' s';
  if (seconds < 7200) return Math.round(seconds / 60) + ' min';
  return (seconds / 3600).toFixed(1) + ' h';
}

function percent(share) { return share == null ? '–' : (Math.round(share * 1000) / 10) + '%'; }

function draw(id, config) {
  if (charts[id]) {
    charts[id].data = config.data;
    charts[id].update();
  } else {
    charts[id] = new window.Chart($(id), { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...(config.options || {}) } });
  }
}

function analyticsQuery() {
  return new URLSearchParams({ from: $('an-from').value, to: $('an-to').value, metric: $('an-metric').value,
    time: $('an-time').value, groupBy: $('an-group').value });
}

async function loadAnalytics(e) {
  if (e) e.preventDefault();
  $('an-message').textContent = '';
  const q = analyticsQuery();
  const r = await api('GET', '/api/analytics/response-times?' + q);
  const csv = new URLSearchParams({ from: q.get('from'), to: q.get('to') });
  $('an-csv').href = '/api/analytics/export.csv?' + csv;
  const t = r.totals;
  $('an-totals').textContent = t.replies + ' replies · median ' + duration(t.medianSeconds) + ' · p90 ' + duration(t.p90Seconds) +
    ' · p99 ' + duration(t.p99Seconds) + ' · ' + percent(t.slaAttainment) + ' within target · ' + t.breaches + ' breaches (' + r.time + ' time)';
  $('an-empty').hidden = t.replies > 0;
  $('an-empty').textContent = 'No replies from ' + q.get('from') + ' to ' + q.get('to') + ': response times, attainment and these charts fill in as agents answer mentions in the range.';
  const days = r.series.map((d) => d.day.slice(5));
  draw('chart-daily', { type: 'bar', data: { labels: days, datasets: [
    { type: 'bar', label: 'replies', data: r.series.map((d) => d.replies), yAxisID: 'y' },
    { type: 'line', label: 'median (min)', data: r.series.map((d) => d.medianSeconds == null ? null : d.medianSeconds / 60), yAxisID: 'y1' }] },
    options: { scales: { y: { beginAtZero: true }, y1: { beginAtZero: true, position: 'right' } } } });
  draw('chart-attainment', { type: 'line', data: { labels: days, datasets: [
    { label: 'within target (%)', data: r.series.map((d) => d.slaAttainment == null ? null : d.slaAttainment * 100), yAxisID: 'y' },
    { type: 'bar', label: 'breaches', data: r.series.map((d) => d.breaches), yAxisID: 'y1' }] },
    options: { scales: { y: { min: 0, max: 100 }, y1: { beginAtZero: true, position: 'right' } } } });
  draw('chart-backlog', { type: 'line', data: { labels: days, datasets: [
    { label: 'backlog', data: r.series.map((d) => d.backlog) },
    { type: 'bar', label: 'new cases', data: r.series.map((d) => d.newCases) }] } });
  draw('chart-hours', { type: 'bar', data: { labels: r.newCasesByHour.map((_, h) => String(h)),
    datasets: [{ label: 'new cases', data: r.newCasesByHour }] } });
  $('an-group-caption').textContent = 'By ' + $('an-group').selectedOptions[0].textContent;
  renderList('an-groups', r.groups, (g) => {
    const tr = document.createElement('tr');
    for (const v of [g.key, g.replies, duration(g.medianSeconds), duration(g.p90Seconds), duration(g.p99Seconds), duration(g.meanSeconds),
      percent(g.slaAttainment), g.breaches]) tr.appendChild(text('td', v));
    return tr;
  });
  const days30 = 30;
  const f = await api('GET', '/api/cycle/funnel?days=' + days30).catch(() => null);
  if (f) {
    $('an-funnel').textContent = 'Last ' + days30 + ' days: ' + counted(f.answeredWithKbLink, 'reply', 'replies') + ' with a KB link, ' +
      counted(f.clicks, 'click') + ' on tracked links, ' + counted(f.published, 'blog post') + ' published, ' +
      counted(f.proactiveTweets, 'proactive tweet');
  }
}

function openAnalytics() {
  const to = new Date(serverNow());
  const from = new Date(to.getTime() - 29 * 86400000);
  if (!$('an-to').value) { $('an-to').value = isoDay(to); $('an-from').value = isoDay(from); }
  $('analytics-dialog').showModal();
  loadAnalytics().catch((e) => { $('an-message').textContent = e.message; });
  clearInterval(analyticsTimer);
  // Live refresh while the dashboard is open.
  analyticsTimer = setInterval(() => {
    if (!$('analytics-dialog').open) { clearInterval(analyticsTimer); return; }
    loadAnalytics().catch(() => {});
  }, 30000);
}

/** "1 click", "2 clicks": a count with its noun, so no line reads "1 proactive tweets". */
function counted(n, one, many) {
  return n + ' ' + (n === 1 ? one : (many || one + 's'));
}

// ---- the virtuous cycle: clusters, blog posts, proactive tweets ----

function showCycleError(e) { $('cycle-message').textContent = e.message; }

function button(label, onClick) {
  const b = text('button', label);
  b.type = 'button';
  b.addEventListener('click', () => Promise.resolve(onClick()).catch(showCycleError));
  return b;
}

async function loadClusters(e) {
  if (e) e.preventDefault();
  $('cycle-message').textContent = '';
  const days = $('cycle-days').value;
  const [r, funnel] = await Promise.all([api('GET', '/api/clusters?days=' + days), api('GET', '/api/cycle/funnel?days=' + days)]);
  $('cycle-funnel').textContent = 'Last ' + days + ' days: ' + funnel.mentions + ' mentions → ' + funnel.answeredWithKbLink +
    ' answered with a KB link → ' + funnel.promoted + ' promoted → ' + funnel.blogAndFeedViews + ' blog and feed views → ' +
    counted(funnel.proactiveTweets, 'proactive tweet') + ' → ' + counted(funnel.clicks, 'click');
  renderList('cluster-list', r.items, (c) => {
    const li = document.createElement('li');
    li.dataset.cluster = c.id;
    const head = document.createElement('div');
    if (has('community')) {
      const pick = document.createElement('input');
      pick.type = 'checkbox';
      pick.className = 'cluster-pick';
      pick.value = c.id;
      pick.setAttribute('aria-label', 'Select cluster ' + (c.question || c.id));
      head.appendChild(pick);
    }
    head.appendChild(text('span', c.question || '(no words)', 'question'));
    if (c.suggested) head.appendChild(text('span', 'Suggested for the blog', 'badge'));
    li.appendChild(head);
    li.appendChild(text('div', 'asked ' + c.asked + ' times (' + c.trend + ', ' + c.askedBefore + ' the window before) · ' + c.size +
      ' in all · ' + c.kbLinked + ' answered with a KB link · ' + c.status, 'meta'));
    const examples = document.createElement('ul');
    examples.className = 'examples';
    for (const x of c.examples) examples.appendChild(text('li', '@' + x.handle + ': ' + x.text));
    li.appendChild(examples);
    if (c.answer) li.appendChild(text('div', 'Answer given: ' + c.answer, 'meta'));
    const actions = document.createElement('div');
    actions.appendChild(button('Members', () => showMembers(c.id)));
    if (has('community')) {
      if (c.postId) actions.appendChild(button('Open post', () => openPost(c.postId)));
      else actions.appendChild(button('Promote to blog', () => promote(c.id)));
      actions.appendChild(button('Dismiss', async () => { await api('POST', '/api/clusters/' + c.id + '/dismiss'); await loadClusters(); }));
    }
    li.appendChild(actions);
    return li;
  });
  if (!r.items.length) {
    $('cluster-list').appendChild(text('li', 'No frequent questions in the last ' + days + ' days. Clusters form as agents answer; answers with a KB link count most, and a question shows here once it has been answered twice.', 'empty'));
  }
  await loadPosts();
}

async function showMembers(id) {
  const c = await api('GET', '/api/clusters/' + id);
  $('cluster-members-box').hidden = false;
  $('cluster-members-box').dataset.cluster = id;
  $('members-title').textContent = 'Members of “' + (c.question || id) + '”';
  renderList('cluster-members', c.members, (m) => {
    const li = document.createElement('li');
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = m.caseId;
    box.className = 'member-pick';
    label.appendChild(box);
    label.appendChild(document.createTextNode(' @' + m.handle + ': ' + m.text));
    li.appendChild(label);
    return li;
  });
  const e = c.effect;
  if (e && e.published) {
    $('cluster-members').appendChild(text('li', 'Effect: asked ' + e.weeklyBefore + ' a week in the ' + e.weeksBefore.length +
      ' weeks before the post, ' + e.weeklyAfter + ' a week after (' + e.completeWeeksAfter + ' whole weeks so far); ' +
      e.postViews + ' post views, ' + e.postLinkClicks + ' clicks from the tweet, ' + e.kbLinkClicks + ' KB link clicks', 'meta'));
  }
}

async function splitMembers() {
  const id = $('cluster-members-box').dataset.cluster;
  const caseIds = [...document.querySelectorAll('.member-pick:checked')].map((b) => b.value);
  if (!caseIds.length) throw new Error('Check the members to split off first');
  await api('POST', '/api/clusters/' + id + '/split', { caseIds });
  $('cluster-members-box').hidden = true;
  await loadClusters();
}

async function mergeSelected() {
  const ids = [...document.querySelectorAll('.cluster-pick:checked')].map((b) => b.value);
  if (ids.length < 2) throw new Error('Select at least two clusters to merge');
  for (const other of ids.slice(1)) await api('POST', '/api/clusters/' + other + '/merge', { into: ids[0] });
  await loadClusters();
}

async function promote(id) {
  const post = await api('POST', '/api/clusters/' + id + '/promote', { anonymise: false });
  await loadClusters();
  await openPost(post.id);
}

async function loadPosts() {
  const r = await api('GET', '/api/blog/posts');
  renderList('post-list', r.items, (p) => {
    const li = text('li', p.title + ' (' + p.status + (p.tweet ? ', tweet ' + p.tweet.state : '') + ') ');
    li.appendChild(button(has('community') ? 'Edit' : 'Open', () => openPost(p.id)));
    return li;
  });
  if (!r.items.length) {
    $('post-list').appendChild(text('li', has('community')
      ? 'No blog posts yet: "Promote to blog" on a frequent question above drafts one from its question, answer and KB article.'
      : 'No blog posts yet: a community manager drafts one by promoting a frequent question above.', 'empty'));
  }
}

let postWatch = null;

function showPost(p) {
  state.post = p;
  const editable = has('community');
  $('post-form').hidden = false;
  $('post-id').value = p.id;
  $('post-title').value = p.title;
  $('post-body').value = p.body;
  $('post-tags').value = p.tags.join(', ');
  $('post-anonymise').checked = p.anonymise;
  for (const id of ['post-title', 'post-body', 'post-tags']) $(id).readOnly = !editable;
  $('post-anonymise').disabled = !editable;
  const e = p.effect;
  $('post-status').textContent = 'Status: ' + p.status + (p.slug ? ' at /blog/' + p.slug : '') + ' · ' + p.views + ' views · ' + p.clicks + ' clicks' +
    (e && e.published ? ' · asked ' + e.weeklyBefore + ' a week before it went up, ' + e.weeklyAfter + ' after' : '');
  renderList('post-quotes', p.quotes, (q) => text('li', '“' + q.text + '” (' + q.by + ')'));
  if (!p.quotes.length) $('post-quotes').appendChild(text('li', 'Nobody is quoted: only customers whose X account is public are, and none are when quotes are anonymised away.', 'empty'));
  $('post-public').hidden = !(p.status === 'published' && p.slug);
  if (p.slug) $('post-public').href = '/blog/' + encodeURIComponent(p.slug);
  showTweetState(p);
  if (editable) {
    $('post-publish').hidden = p.status === 'published';
    $('post-unpublish').hidden = p.status !== 'published';
  }
}

// ---- the proactive tweet: its own step, after publishing, with the exact text and an explicit confirmation ----

const TWEET_UNDER_WAY = ['pending', 'posting'];

function showTweetState(p) {
  const t = p.tweet;
  const line = $('post-tweet-state');
  if (!t) {
    line.textContent = p.status === 'published'
      ? 'Not tweeted. Publishing never posts to X; "Tweet about it…" shows the tweet and asks before posting.'
      : 'Not tweeted. Once the post is published you can tweet about it, as a separate step.';
    line.className = 'muted';
  } else if (t.state === 'posted') {
    line.textContent = 'Tweet posted' + (t.xTweetId ? ' (X id ' + t.xTweetId + ')' : '') + ': ' + t.text;
    line.className = 'tweet-posted';
  } else if (t.state === 'failed') {
    line.textContent = 'Tweet failed: ' + (t.error || 'X gave no reason') + '. Nothing was posted; you can try again.';
    line.className = 'tweet-failed';
  } else {
    line.textContent = 'Tweet pending (' + t.state + '): waiting for X to confirm it.';
    line.className = 'tweet-pending';
  }
  const can = has('community') && p.status === 'published' && (!t || t.state === 'failed');
  $('tweet-open').hidden = !can || !$('tweet-step').hidden;
  $('tweet-open').textContent = t && t.state === 'failed' ? 'Try the tweet again…' : 'Tweet about it…';
  if (!can) closeTweetStep();
  // A tweet under way is watched until X confirms or refuses it.
  clearTimeout(postWatch);
  if (t && TWEET_UNDER_WAY.includes(t.state)) {
    postWatch = setTimeout(() => {
      if (state.post && state.post.id === p.id && !$('post-form').hidden) {
        api('GET', '/api/blog/posts/' + p.id).then(showPost).catch(() => {});
      }
    }, 2000);
  }
}

async function openPost(id) {
  const p = await api('GET', '/api/blog/posts/' + id);
  closeTweetStep();
  showPost(p);
  $('post-title').focus();
}

let tweetTimer = null;
let tweetEdited = false;
let tweetPreviewed = null; // the text the exact preview shows was composed from, so Confirm posts what was shown

async function postingAccount() {
  // Proactive tweets post as the configured brand, the first one CareLoop knows.
  if (!state.postingAccount) {
    const r = await api('GET', '/api/brands').catch(() => null);
    state.postingAccount = r && r.items.length ? '@' + r.items[0].handle : 'the brand';
  }
  return state.postingAccount;
}

async function openTweetStep() {
  const p = state.post;
  if (!p) return;
  $('tweet-error').textContent = '';
  $('tweet-exact').textContent = '';
  $('post-tweet-count').textContent = '';
  $('tweet-confirm-yes').disabled = true;
  $('tweet-step').hidden = false;
  $('tweet-open').hidden = true;
  $('tweet-account').textContent = await postingAccount();
  const failed = p.tweet && p.tweet.state === 'failed';
  // A failed tweet is retried exactly as it was stored, link and all, so its text is not editable.
  $('post-tweet-text').readOnly = Boolean(failed);
  if (failed) {
    $('post-tweet-text').value = p.tweet.text;
    const r = await api('POST', '/api/compose/length', { text: p.tweet.text });
    showExact({ text: p.tweet.text, weightedLength: r.weightedLength, limit: r.limit, valid: r.valid }, p.tweet.text);
  } else {
    const preview = await api('POST', '/api/blog/posts/' + p.id + '/tweet-preview', {});
    $('post-tweet-text').value = preview.text.replace(preview.link, '{{link}}');
    tweetEdited = false;
    showExact(preview, $('post-tweet-text').value.trim());
  }
  $('post-tweet-text').focus();
}

function closeTweetStep() {
  $('tweet-step').hidden = true;
  tweetPreviewed = null;
  clearTimeout(tweetTimer);
  if (state.post) {
    const t = state.post.tweet;
    $('tweet-open').hidden = !(has('community') && state.post.status === 'published' && (!t || t.state === 'failed'));
  }
}

function showExact(r, from) {
  $('tweet-exact').textContent = r.text;
  $('post-tweet-count').textContent = r.weightedLength + ' / ' + r.limit + (r.valid ? '' : ' (too long: shorten it before posting)');
  $('post-tweet-count').className = r.valid ? '' : 'tweet-over';
  tweetPreviewed = from;
  $('tweet-confirm-yes').disabled = !r.valid;
}

// Every edit is measured again on the server, with the real tracked link, as X will count it.
async function previewTweet() {
  const id = $('post-id').value;
  const value = $('post-tweet-text').value.trim();
  if (!id || !value || $('tweet-step').hidden) return;
  const r = await api('POST', '/api/blog/posts/' + id + '/tweet-preview', { text: value });
  if ($('post-tweet-text').value.trim() === value) showExact(r, value);
}

// Until the author edits the tweet, it follows the title ("Wondering how to …?").
async function recomposeTweet() {
  const id = $('post-id').value;
  const title = $('post-title').value.trim();
  if (!id || tweetEdited || title.length < 3 || $('tweet-step').hidden || $('post-tweet-text').readOnly) return;
  const preview = await api('POST', '/api/blog/posts/' + id + '/tweet-preview', { title });
  $('post-tweet-text').value = preview.text.replace(preview.link, '{{link}}');
  await previewTweet();
}

function tweetTextEdited() {
  tweetEdited = true;
  tweetPreviewed = null;
  $('tweet-confirm-yes').disabled = true; // until the exact text for this edit is shown
  clearTimeout(tweetTimer);
  tweetTimer = setTimeout(() => previewTweet().catch((e) => { $('tweet-error').textContent = e.message; }), 250);
}

async function confirmTweet() {
  const p = state.post;
  const failed = p.tweet && p.tweet.state === 'failed';
  const value = $('post-tweet-text').value.trim();
  if (!failed && tweetPreviewed !== value) return; // the shown text is not yet the one that would be posted
  $('tweet-confirm-yes').disabled = true;
  $('tweet-error').textContent = '';
  try {
    const t = await api('POST', '/api/blog/posts/' + p.id + '/tweet', failed || !value ? {} : { text: value });
    closeTweetStep();
    notice(t.state === 'posted' ? 'Tweet posted to X.' : 'Tweet ' + t.state + '.');
  } catch (e) {
    $('tweet-error').textContent = 'Not posted: ' + e.message;
    $('tweet-confirm-yes').disabled = false;
  }
  showPost(await api('GET', '/api/blog/posts/' + p.id));
  await loadPosts();
}

function postEdit() {
  return {
    title: $('post-title').value.trim(), body: $('post-body').value,
    tags: list($('post-tags').value.toLowerCase()), anonymise: $('post-anonymise').checked
  };
}

async function savePost(e) {
  if (e) e.preventDefault();
  if (!has('community')) return null;
  const p = await api('PUT', '/api/blog/posts/' + $('post-id').value, postEdit());
  showPost(p);
  notice('Saved');
  return p;
}

// Publishing publishes, nothing more: the tweet is a second, confirmed step.
async function publishPost() {
  await savePost();
  const p = await api('POST', '/api/blog/posts/' + $('post-id').value + '/publish', {});
  showPost(p);
  notice('Published. Nothing was posted to X; "Tweet about it…" announces it when you are ready.');
  await loadPosts();
}

async function unpublishPost() {
  showPost(await api('POST', '/api/blog/posts/' + $('post-id').value + '/unpublish'));
  await loadPosts();
}

// ---- start ----

function showConsole(me) {
  state.csrf = me.csrfToken; state.user = me.user; state.roles = me.roles;
  $('whoami').textContent = me.user + ' (' + me.roles.join(', ') + ')';
  $('login-view').hidden = true;
  $('console-view').hidden = false;
  for (const id of ['logout', 'help-open', 'views']) $(id).hidden = false;
  $('sla-open').hidden = !has('lead');
  $('canned-open').hidden = !has('community');
  $('kb-open').hidden = !has('community');
  $('cycle-open').hidden = !has('community') && !has('lead');
  document.querySelectorAll('#cycle-dialog [data-community], #post-form .actions button').forEach((b) => { b.hidden = !has('community'); });
  $('admin-open').hidden = !has('admin');
  $('audit-open').hidden = !has('lead');
  $('analytics-open').hidden = !has('lead');
  $('assign-box').hidden = !has('lead');
  // Hidden, not disabled: a lead is never offered claiming, replying, dismissing, notes or tags.
  for (const id of ['claim', 'resolve', 'dismiss', 'dismiss-reason', 'dismiss-label', 'reply-form', 'note-form', 'tags-form']) $(id).hidden = !works();
  document.querySelector('#views [data-view="mine"]').hidden = !works();
  document.querySelectorAll('[data-works]').forEach((el) => { el.hidden = !works(); });
  setView(works() ? 'unassigned' : 'open');
  loadCounts().catch(() => {});
  loadSources().catch(() => {});
  if (works()) loadCanned().catch(() => {});
  api('GET', '/api/brands').then((r) => { state.brands = r.items.map((b) => b.handle); showQueueEmpty(); }).catch(() => {});
  connectEvents();
  watchHealth();
}

async function login(ev) {
  ev.preventDefault();
  $('login-error').textContent = '';
  try {
    showConsole(await api('POST', '/api/login', { username: $('username').value, password: $('password').value }));
  } catch (e) {
    $('login-error').textContent = e.status === 401 ? 'Wrong user name or password' : e.message;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', async () => { await api('POST', '/api/logout').catch(() => {}); location.reload(); });
  document.querySelectorAll('#views [data-view]').forEach((b) => b.addEventListener('click', () => setView(b.dataset.view)));
  $('more').addEventListener('click', () => loadQueue(true));
  $('claim').addEventListener('click', () => act('/claim'));
  $('resolve').addEventListener('click', () => closeCase('/resolve'));
  $('dismiss').addEventListener('click', () => closeCase('/dismiss'));
  $('assign').addEventListener('click', () => act('/assign', { assignee: $('assign-to').value.trim() || null }));
  $('reply-form').addEventListener('submit', sendReply);
  $('reply-text').addEventListener('input', () => updateCount(true));
  $('canned').addEventListener('change', () => insertCanned().catch(showError));
  $('note-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = $('note-text').value.trim();
    if (!value) return;
    act('/notes', { text: value }).then(() => { $('note-text').value = ''; });
  });
  $('tags-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const tags = $('tags').value.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
    try { await api('PUT', '/api/cases/' + state.selected + '/tags', { tags }); await refresh(); } catch (err) { showError(err); }
  });
  $('help-open').addEventListener('click', () => $('help').showModal());
  $('help-close').addEventListener('click', () => $('help').close());
  $('sla-open').addEventListener('click', () => openSla().catch(showError));
  $('sla-save').addEventListener('click', saveSla);
  $('sla-add').addEventListener('click', addPolicy);
  $('canned-open').addEventListener('click', () => openCannedManager().catch(showError));
  $('kb-open').addEventListener('click', () => { newArticle(); searchKb().catch(showKbError); $('kb-dialog').showModal(); });
  $('kb-search-form').addEventListener('submit', (e) => searchKb(e).catch(showKbError));
  $('kb-new').addEventListener('click', newArticle);
  $('kb-form').addEventListener('submit', (e) => { e.preventDefault(); saveArticle(false); });
  $('kb-save-anyway').addEventListener('click', () => saveArticle(true));
  $('kb-close').addEventListener('click', () => $('kb-dialog').close());
  $('analytics-open').addEventListener('click', openAnalytics);
  $('analytics-form').addEventListener('submit', (e) => loadAnalytics(e).catch((err) => { $('an-message').textContent = err.message; }));
  $('analytics-close').addEventListener('click', () => $('analytics-dialog').close());
  $('cycle-open').addEventListener('click', () => { $('post-form').hidden = true; loadClusters().catch(showCycleError); $('cycle-dialog').showModal(); });
  $('cycle-form').addEventListener('submit', (e) => loadClusters(e).catch(showCycleError));
  $('cycle-merge').addEventListener('click', () => mergeSelected().catch(showCycleError));
  $('cluster-split').addEventListener('click', () => splitMembers().catch(showCycleError));
  $('post-form').addEventListener('submit', (e) => savePost(e).catch(showCycleError));
  $('post-publish').addEventListener('click', () => publishPost().catch(showCycleError));
  $('post-unpublish').addEventListener('click', () => unpublishPost().catch(showCycleError));
  $('post-title').addEventListener('input', () => { clearTimeout(tweetTimer); tweetTimer = setTimeout(() => recomposeTweet().catch(showCycleError), 250); });
  $('post-tweet-text').addEventListener('input', tweetTextEdited);
  $('tweet-open').addEventListener('click', () => openTweetStep().catch((e) => { $('tweet-error').textContent = e.message; }));
  $('tweet-cancel').addEventListener('click', () => { closeTweetStep(); notice('Not posted: nothing went to X.'); $('tweet-open').focus(); });
  $('tweet-confirm-yes').addEventListener('click', () => confirmTweet().catch(showCycleError));
  $('cycle-close').addEventListener('click', () => $('cycle-dialog').close());
  $('admin-open').addEventListener('click', () => { $('admin-message').textContent = ''; loadUsers().catch(showError); loadBrands().catch(showError); loadNodes().catch(showError); loadBackups().catch(showError); $('admin-dialog').showModal(); });
  $('backup-now').addEventListener('click', () => backUpNow());
  $('admin-close').addEventListener('click', () => $('admin-dialog').close());
  $('user-form').addEventListener('submit', (e) => {
    e.preventDefault();
    adminDo('POST', '/api/users', { username: $('new-username').value.trim(), password: $('new-password').value, roles: [$('new-role').value] })
      .then(() => { $('new-password').value = ''; });
  });
  $('source-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const brand = $('new-keyword-brand').value;
    adminDo('POST', '/api/sources/keywords', brand ? { keyword: $('new-keyword').value.trim(), brand } : { keyword: $('new-keyword').value.trim() })
      .then(() => { $('new-keyword').value = ''; });
  });
  $('brand-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { handle: $('new-brand-handle').value.trim(), userId: $('new-brand-user').value.trim() };
    if ($('new-brand-name').value.trim()) body.name = $('new-brand-name').value.trim();
    adminDo('POST', '/api/brands', body).then(() => { for (const id of ['new-brand-handle', 'new-brand-user', 'new-brand-name']) $(id).value = ''; });
  });
  $('audit-open').addEventListener('click', () => { loadAudit().catch(showError); $('audit-dialog').showModal(); });
  $('audit-form').addEventListener('submit', (e) => loadAudit(e).catch(showError));
  $('audit-close').addEventListener('click', () => $('audit-dialog').close());
  $('canned-form').addEventListener('submit', saveCannedResponse);
  $('canned-close').addEventListener('click', () => $('canned-dialog').close());
  $('source-filter').addEventListener('change', () => loadQueue(false).catch(showError));
  $('sla-close').addEventListener('click', () => $('sla-dialog').close());
  document.addEventListener('keydown', onKey);
  setInterval(paintCountdowns, 1000);
  api('GET', '/api/me').then(showConsole).catch(() => {});
});
