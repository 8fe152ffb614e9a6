// The queue: built-in views, their rows, counts and moving through them with j/k.
import { state, $, api, text, syncClock, serverNow, paintCountdowns, showError } from './core.js';
import { openCase } from './case.js';
import { findLoad } from './find.js';
import { decorateRow } from './bulk.js';

export const VIEWS = ['mine', 'unassigned', 'open', 'breaching', 'dismissed'];
const VIEW_TITLES = { mine: 'Mine', unassigned: 'Unassigned', open: 'All open', breaching: 'Breaching soon', dismissed: 'Dismissed' };

export async function loadQueue(append, keep) {
  // Rows are rebuilt on every refresh: a row that had the focus gets it back, so j, Enter or Tab carry on from there.
  const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('#queue-rows tr[data-case-id]');
  // A search or filter from the bar above the queue (find.js) is shown instead of the view.
  await (findLoad(append, keep) || loadView(append, keep));
  markSelected(state.selected);
  if (focused && (!document.activeElement || document.activeElement === document.body)) focusRow(focused.dataset.caseId);
}

/**
 * Rows read at once: a page; or, when the same view is read again to keep it fresh ({@code keep}: live updates), as
 * many as are shown now (up to 200), so rows opened with "Load more" and the selection on them stay.
 */
export function pageSize(keep) {
  const shown = document.querySelectorAll('#queue-rows tr[data-case-id]').length;
  return String(keep ? Math.min(200, Math.max(50, shown)) : 50);
}

async function loadView(append, keep) {
  const params = new URLSearchParams({ limit: pageSize(keep && !append), view: state.view });
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
  const shown = rows.children.length;
  $('queue-count').textContent = shown + (page.next ? '+ cases' : shown === 1 ? ' case' : ' cases');
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

export function showQueueEmpty() {
  const empty = $('queue-rows').children.length === 0;
  $('queue-empty').hidden = !empty;
  if (empty) {
    $('queue-empty').textContent = EMPTY_QUEUE[state.view]() +
      ($('source-filter').value ? ' Only one source is shown; choose "all sources" to see the rest.' : '');
  }
}

export async function loadCounts() {
  const counts = await api('GET', '/api/cases/counts');
  document.querySelectorAll('[data-count]').forEach((el) => { el.textContent = '(' + counts[el.dataset.count] + ')'; });
}

export function queueRow(c) {
  const tr = document.createElement('tr');
  tr.dataset.caseId = c.id;
  // What the live stream compares: a changed state or holder may move the case out of the view.
  tr.dataset.state = c.state;
  tr.dataset.assignee = c.assignee || '';
  tr.tabIndex = -1;
  tr.setAttribute('aria-selected', 'false');
  if (c.breached) tr.classList.add('breached');
  const due = text('td', c.state === 'dismissed' ? (c.dismissReason || 'dismissed') : '', 'due');
  if (c.dueAt && (c.state === 'new' || c.state === 'claimed')) due.setAttribute('data-due', c.dueAt);
  const holder = c.assignee && c.claimExpiresAt && Date.parse(c.claimExpiresAt) > serverNow() ? ' · ' + c.assignee : '';
  tr.append(due, text('td', c.priority, 'prio-' + c.priority), text('td', '@' + (c.customer && c.customer.handle)),
    text('td', c.text, 'mention'), text('td', c.state + holder));
  tr.addEventListener('click', () => openCase(c.id, { focus: true }).catch(showError));
  tr.addEventListener('keydown', (e) => {
    if ((e.key === 'Enter' || e.key === ' ') && e.target === tr && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      openCase(c.id, { focus: true }).catch(showError);
    }
  });
  decorateRow(tr, c);
  return tr;
}

function queueRows() { return [...document.querySelectorAll('#queue-rows tr[data-case-id]')]; }

/**
 * The selected row is marked (class, aria-selected) and is the queue's one Tab stop (a roving tabindex): Tab from the
 * search bar lands on it, or on the first row while nothing is selected.
 */
export function markSelected(id) {
  const rows = queueRows();
  for (const tr of rows) {
    const on = tr.dataset.caseId === id;
    tr.classList.toggle('selected', on);
    tr.setAttribute('aria-selected', String(on));
    tr.tabIndex = on ? 0 : -1;
  }
  if (rows.length && !rows.some((tr) => tr.tabIndex === 0)) rows[0].tabIndex = 0;
}

/** The focus back on the queue: the selected case's row, or the queue's Tab stop when that case has left the view. */
export function focusQueue() {
  if (focusRow(state.selected)) return true;
  const stop = document.querySelector('#queue-rows tr[data-case-id][tabindex="0"]');
  if (stop) { stop.focus({ preventScroll: true }); stop.scrollIntoView({ block: 'nearest' }); }
  return !!stop;
}

/** Focuses a case's row, scrolling the queue only as far as needed; false when the row is not shown. */
export function focusRow(id) {
  const tr = queueRows().find((r) => r.dataset.caseId === id);
  if (!tr) return false;
  tr.focus({ preventScroll: true });
  tr.scrollIntoView({ block: 'nearest' });
  return true;
}

export function setView(view) {
  state.view = view;
  state.cursor = null;
  document.querySelectorAll('#views [data-view]').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.view === view)));
  loadQueue(false).catch(showError);
}

export function moveSelection(step) {
  const rows = [...document.querySelectorAll('#queue-rows tr[data-case-id]')];
  if (!rows.length) return;
  const at = rows.findIndex((r) => r.dataset.caseId === state.selected);
  const next = rows[Math.max(0, Math.min(rows.length - 1, at < 0 ? 0 : at + step))];
  // The focus stays in the queue, on the new row, so the next j moves on again; the case pane only shows it.
  markSelected(next.dataset.caseId);
  focusRow(next.dataset.caseId);
  openCase(next.dataset.caseId).catch(showError);
}

export function wireQueue() {
  document.querySelectorAll('#views [data-view]').forEach((b) => b.addEventListener('click', () => setView(b.dataset.view)));
  $('more').addEventListener('click', () => loadQueue(true).catch(showError));
  $('source-filter').addEventListener('change', () => loadQueue(false).catch(showError));
}
