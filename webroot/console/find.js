// Search and filters above the queue (issue #21): every case, open and closed, by words and filters, through
// GET /api/search/cases. The filter lives in the page's query string, so a view can be bookmarked, shared and
// reloaded; saved views (GET/PUT/DELETE /api/me/views) sit next to the built-in ones. queue.js calls findLoad() first.
import { $, api, text, syncClock, paintCountdowns, report, showError } from './core.js';
import { queueRow, loadQueue, pageSize } from './queue.js';

const FIND_FIELDS = ['q', 'state', 'priority', 'assignee', 'tag', 'brand', 'from', 'to'];
const find = { cursor: null, viewsLoaded: false, timer: null };

function findParams() {
  const p = new URLSearchParams();
  for (const f of FIND_FIELDS) {
    const v = $('find-' + f).value.trim();
    if (v) p.set(f, v);
  }
  return p;
}

function findActive() {
  return findParams().toString() !== '';
}

// The filter written into the address bar (replaced, not pushed: typing is not history).
function findToUrl() {
  const p = findParams().toString();
  history.replaceState(null, '', location.pathname + (p ? '?' + p : '') + location.hash);
}

function findFromQuery(qs) {
  const p = new URLSearchParams(qs);
  for (const f of FIND_FIELDS) $('find-' + f).value = p.get(f) || '';
}

// Called by loadQueue (queue.js) first: true when a search is shown instead of a built-in view.
export function findLoad(append, keep) {
  if (!find.viewsLoaded) { find.viewsLoaded = true; findLoadViews().catch(report('load your saved views')); }
  if (!findActive()) return false;
  return findSearch(append, keep);
}

async function findSearch(append, keep) {
  const p = findParams();
  p.set('limit', pageSize(keep && !append));
  if ($('source-filter').value) p.set('source', $('source-filter').value);
  if (append && find.cursor) p.set('cursor', find.cursor);
  const rows = $('queue-rows');
  let page;
  try {
    page = await api('GET', '/api/search/cases?' + p);
  } catch (e) {
    rows.replaceChildren();
    $('more').hidden = true;
    $('queue-title').textContent = 'Search';
    $('queue-count').textContent = '';
    $('queue-empty').hidden = false;
    $('queue-empty').textContent = e.message;
    return true;
  }
  syncClock(page.serverTime);
  if (!append) rows.replaceChildren();
  for (const c of page.items) rows.appendChild(queueRow(c));
  find.cursor = page.next;
  $('more').hidden = !page.next;
  $('queue-title').textContent = $('find-q').value.trim() ? 'Search results' : 'Filtered cases';
  $('queue-count').textContent = page.total + (page.total === 1 ? ' case' : ' cases');
  const empty = rows.children.length === 0;
  $('queue-empty').hidden = !empty;
  if (empty) {
    $('queue-empty').textContent = 'No case matches. Try fewer or shorter words (the last word matches its start), a customer\'s @handle or name, '
      + 'any state instead of one (closed cases are under Resolved), a wider date range, or Clear to go back to the queue.';
  }
  paintCountdowns();
  document.querySelectorAll('#views [data-view]').forEach((b) => b.setAttribute('aria-pressed', 'false'));
  findMarkViews();
  return true;
}

function findRun() {
  find.cursor = null;
  findToUrl();
  loadQueue(false).catch(showError);
}

function findApply(qs) {
  findFromQuery(qs);
  findRun();
}

function findMarkViews() {
  const now = findParams().toString();
  document.querySelectorAll('#find-views [data-filter]').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.filter === now)));
}

async function findLoadViews() {
  const list = await api('GET', '/api/me/views');
  const box = $('find-saved');
  box.replaceChildren();
  for (const v of list.items) {
    const b = text('button', v.name);
    b.type = 'button';
    b.dataset.filter = v.filter;
    b.title = v.filter;
    b.addEventListener('click', () => findApply(v.filter));
    const del = text('button', '\u00d7', 'find-delete');
    del.type = 'button';
    del.setAttribute('aria-label', 'Delete saved view ' + v.name);
    del.addEventListener('click', async () => {
      await api('DELETE', '/api/me/views/' + encodeURIComponent(v.name)).catch(showError);
      findLoadViews().catch(showError);
    });
    box.append(b, del);
  }
  findMarkViews();
}

async function findSave() {
  const name = $('find-view-name').value.trim();
  if (!name) { $('find-view-name').focus(); return; }
  await api('PUT', '/api/me/views/' + encodeURIComponent(name), { filter: findParams().toString() });
  $('find-view-name').value = '';
  await findLoadViews();
}

/** The brands CareLoop answers for, as a filter (read at sign-in); a brand named in the address is kept. */
export function showFindBrands(handles) {
  const select = $('find-brand');
  const chosen = new URLSearchParams(location.search).get('brand') || select.value;
  select.replaceChildren(new Option('any brand', ''), ...handles.map((h) => new Option('@' + h, h)));
  if (chosen && !handles.includes(chosen)) select.appendChild(new Option('@' + chosen, chosen));
  select.value = chosen || '';
}

export function wireFind() {
  findFromQuery(location.search);
  $('find-bar').addEventListener('submit', (e) => { e.preventDefault(); findRun(); });
  $('find-q').addEventListener('input', () => { clearTimeout(find.timer); find.timer = setTimeout(findRun, 250); });
  for (const f of FIND_FIELDS.slice(1)) $('find-' + f).addEventListener('change', findRun);
  $('find-clear').addEventListener('click', () => { findFromQuery(''); findRun(); });
  $('find-resolved').addEventListener('click', () => findApply('state=resolved'));
  $('find-save').addEventListener('click', () => findSave().catch(showError));
  // A built-in view clears the search first (capture: before queue.js's own handler loads the view).
  document.querySelectorAll('#views [data-view]').forEach((b) => b.addEventListener('click', () => {
    findFromQuery('');
    findToUrl();
    findMarkViews();
  }, true));
}
