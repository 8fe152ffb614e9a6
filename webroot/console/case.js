// The case pane: a case's header, its conversation as on X, replies, notes, history and SLA events.
import { state, $, api, text, renderList, works, syncClock, serverNow, paintCountdowns, report, showError } from './core.js';
import { loadQueue, loadCounts, markSelected, focusQueue } from './queue.js';
import { safetyShowCase } from './safety.js';
import { caseShown, claimBeat } from './assign.js';
import { loadSuggestions } from './composer.js';

/**
 * Shows a case. Opened by a click or Enter ({focus: true}) the focus moves to the case's heading, so a screen reader
 * and the Tab key start there; by j/k it stays on the queue row, so the next j moves on.
 */
export async function openCase(id, opts) {
  const switching = state.selected !== id;
  state.selected = id;
  markSelected(id);
  const c = await api('GET', '/api/cases/' + encodeURIComponent(id));
  if (state.selected !== id) return;
  state.current = c;
  syncClock(c.serverTime);
  $('case-view').hidden = false;
  // At a phone's width only one pane shows: the case, with "Back to queue" (console.css).
  document.querySelector('.columns').classList.add('showing-case');
  $('case-title').textContent = 'Case ' + c.id;
  $('case-customer').textContent = '@' + c.customer.handle + ' (' + c.customer.followers + ' followers) to @' + c.brand;
  // Why the case has its priority (keywords, meaning, audience), so an agent can see what CareLoop read.
  $('case-priority').textContent = c.priority + (c.escalated ? ' (escalated)' : '') + (c.priorityReason ? ' (' + c.priorityReason + ')' : '');
  $('case-state').textContent = c.state + (c.dismissReason ? ': ' + c.dismissReason : '') + (c.customerConfirmed ? ' · customer confirmed' : '');
  $('case-state').title = c.turn ? c.turn.reason : '';
  safetyShowCase(c);
  // A closed case offers Reopen only: claiming, resolving or dismissing it again would be refused (409).
  const open = c.state !== 'dismissed' && c.state !== 'resolved';
  for (const el of ['claim', 'resolve', 'dismiss', 'dismiss-reason', 'dismiss-label']) $(el).hidden = !works() || !open;
  $('case-policy').textContent = c.slaPolicyId ? '[' + c.slaMetric + ', policy ' + c.slaPolicyId + ']' : '';
  const due = $('case-due');
  if (c.dueAt && (c.state === 'new' || c.state === 'claimed')) due.setAttribute('data-due', c.dueAt);
  else { due.removeAttribute('data-due'); due.textContent = c.firstResponseSeconds != null ? 'first response in ' + c.firstResponseSeconds + ' s' : ''; }
  const held = c.assignee && c.claimExpiresAt && Date.parse(c.claimExpiresAt) > serverNow();
  // A closed case is held by nobody: no "Claim by ben lapsed" under a resolved case.
  $('case-holder').textContent = !open ? '' : held ? 'Held by ' + c.assignee : (c.assignee ? 'Claim by ' + c.assignee + ' lapsed' : 'Unclaimed');
  showViewers(c.viewers || []);
  caseShown(c);
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
  }).catch(report('load the case\'s service-level events'));
  if (switching) {
    state.draftKey = null;
    state.kbArticleId = null;
    startViewing(c.id);
    loadSuggestions(c.id).catch(report('load suggested answers'));
  }
  paintCountdowns();
  if (opts && opts.focus) $('case-title').focus();
}

// "3 min ago", "2 h ago", "4 Nov": the absolute time is on hover (title) and in the <time> element's datetime.
export function relativeTime(iso) {
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
  if (m.inReplyTo) li.appendChild(parentPost(m.inReplyTo));
  const head = document.createElement('div');
  head.className = 'msg-head';
  const author = m.author || { handle: m.handle };
  // The picture comes through our own proxy (/api/avatars/{id}): the CSP allows images from 'self' only.
  if (author.avatar && /^\/api\/avatars\/[0-9]{1,19}$/.test(author.avatar)) {
    const img = document.createElement('img');
    img.className = 'avatar';
    img.src = author.avatar;
    img.alt = '';
    img.width = 32;
    img.height = 32;
    img.loading = 'lazy';
    img.addEventListener('error', () => img.remove()); // no broken-picture icon when X's image is gone
    head.appendChild(img);
  }
  if (author.name) head.appendChild(text('strong', author.name + ' '));
  head.appendChild(text(author.name ? 'span' : 'strong', '@' + (author.handle || m.handle) + ' ', author.name ? 'muted' : null));
  if (m.at) {
    const when = text('time', relativeTime(m.at));
    when.dateTime = m.at;
    when.title = new Date(Date.parse(m.at)).toLocaleString();
    head.appendChild(when);
  }
  if (m.sentBy && m.sentBy.username) head.appendChild(text('span', ' · sent by ' + m.sentBy.username, 'muted'));
  if (m.url) head.append(' · ', onX(m.url));
  li.append(head, text('span', m.text, 'tweet-text'));
  return li;
}

// A link to a post on X, in a new tab that cannot reach back into the console. The URL is one the server built.
function onX(url) {
  const a = text('a', 'on X');
  a.href = url;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

// The post the customer answered (someone else's, or ours from before the case): quoted above the message, as on X.
function parentPost(p) {
  const box = document.createElement('blockquote');
  box.className = 'parent-post';
  const who = p.author || {};
  box.appendChild(text('span', 'In reply to ' + (who.name ? who.name + ' ' : '') + '@' + (who.handle || '?'), 'muted'));
  if (p.url) box.append(' · ', onX(p.url));
  box.appendChild(text('span', p.text, 'tweet-text'));
  return box;
}

export function showViewers(viewers) {
  const others = viewers.filter((v) => v !== state.user);
  $('case-viewers').textContent = others.length ? '· also viewing: ' + others.join(', ') : '';
}

// Heartbeat while a case is open, so others see who is looking at it (and the holder's claim keeps running).
function startViewing(id) {
  clearInterval(state.heartbeat);
  const beat = () => api('POST', '/api/cases/' + id + '/viewing').then((r) => { if (state.selected === id) { showViewers(r.viewers); claimBeat(r); } }).catch(report('tell others you are viewing this case'));
  beat();
  state.heartbeat = setInterval(beat, 10000);
}

export async function refresh() {
  await Promise.all([state.selected ? openCase(state.selected) : null, loadQueue(false, true), loadCounts()]);
}

export async function act(path, body) {
  if (!state.selected) return;
  $('reply-error').textContent = '';
  try {
    await api('POST', '/api/cases/' + state.selected + path, body);
  } catch (e) { showError(e); }
  await refresh();
}

/** Narrow widths: back from the case to the queue, on the case's row (or the search box when the queue is empty). */
function backToQueue() {
  document.querySelector('.columns').classList.remove('showing-case');
  if (!focusQueue()) $('find-q').focus();
}

export function wireCase() {
  $('case-back').addEventListener('click', backToQueue);
  $('claim').addEventListener('click', () => act('/claim'));
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
}
