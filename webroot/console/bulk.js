// Bulk actions in the queue (issue 21): select many cases (a checkbox per row, shift-click for a range, x for the
// open row, "select all in view" in the header) and resolve, dismiss, tag or assign them in one request
// (POST /api/cases/bulk). The server reports per case; the console says how many were done, lists every refusal with
// its reason and keeps the refused cases selected, so nothing is half-applied without the user seeing it.
import { state, $, api, text, has, works, counted, list, toast, report, showFieldError, clearFieldErrors } from './core.js';
import { refresh, openCase } from './case.js';
import { showUndo } from './safety.js';

const bulk = { selected: new Set(), refused: new Set(), last: null, viewKey: null, bar: null, agentsFor: null, busy: false };

const REASONS = ['spam', 'no action needed', 'praise'];
// The server's tag rule (PUT /api/cases/{id}/tags), checked here first so the words can be plain.
const TAG = /^[a-z0-9][a-z0-9-]{0,31}$/;

// What the queue shows: a built-in view, a search (find.js keeps it in the address bar) and the source filter.
// Another view is another list of cases: a selection made in one is never acted on in the next.
function viewKey() {
  return state.view + '|' + location.search + '|' + $('source-filter').value;
}

function checkView() {
  const key = viewKey();
  if (bulk.viewKey !== null && bulk.viewKey !== key) { bulk.selected.clear(); bulk.last = null; clearReport(); }
  bulk.viewKey = key;
}

function shownIds() {
  return [...document.querySelectorAll('#queue-rows tr[data-case-id]')].map((tr) => tr.dataset.caseId);
}

/** Called by queueRow (queue.js) for each row: the row's checkbox, first, checked when the case is selected. */
export function decorateRow(tr, c) {
  checkView();
  const cell = document.createElement('td');
  cell.className = 'bulk-pick';
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.checked = bulk.selected.has(c.id);
  box.setAttribute('aria-label', 'Select case ' + c.id);
  // Out of the Tab order: the grid is one Tab stop (its row), and x selects the row from the keyboard.
  box.tabIndex = -1;
  // Picking a case is not opening it: neither the box nor its cell passes the click on to the row.
  cell.addEventListener('click', (e) => { e.stopPropagation(); if (e.target === cell) box.click(); });
  box.addEventListener('click', (e) => {
    e.stopPropagation();
    pick(c.id, box.checked, e.shiftKey);
    // A box ticked with the mouse gives the keys back to the queue (j, k, x do nothing while a field has focus);
    // one ticked with the space bar keeps the focus where the keyboard user is.
    if (e.detail > 0) box.blur();
  });
  cell.appendChild(box);
  tr.classList.toggle('bulk-selected', box.checked);
  tr.classList.toggle('bulk-refused', bulk.refused.has(c.id));
  tr.prepend(cell);
}

/** Sets {@code id} (and with shift, every row from the last one toggled to it) to {@code on}. */
function pick(id, on, range) {
  const ids = shownIds();
  const from = range && bulk.last ? ids.indexOf(bulk.last) : -1;
  const to = ids.indexOf(id);
  const span = from >= 0 && to >= 0 ? ids.slice(Math.min(from, to), Math.max(from, to) + 1) : [id];
  for (const x of span) { if (on) bulk.selected.add(x); else bulk.selected.delete(x); }
  bulk.last = id;
  paint();
}

/** The x key: toggles the open (selected) case's row. */
export function toggleCurrent() {
  const id = state.selected;
  if (!id || !shownIds().includes(id)) return;
  pick(id, !bulk.selected.has(id), false);
}

function selectAll(on) {
  const ids = shownIds();
  if (on) ids.forEach((id) => bulk.selected.add(id)); else bulk.selected.clear();
  bulk.last = null;
  paint();
}

function clearSelection() {
  bulk.selected.clear();
  bulk.last = null;
  clearReport();
  paint();
}

// ---- the bar ----

function button(label, run) {
  const b = text('button', label);
  b.type = 'button';
  b.addEventListener('click', run);
  return b;
}

function labelled(id, label, el) {
  el.id = id;
  const l = text('label', label, 'inline');
  l.htmlFor = id;
  return [l, el];
}

function buildBar() {
  const bar = document.createElement('div');
  bar.id = 'bulk-bar';
  bar.className = 'bulk-bar';
  bar.setAttribute('role', 'region');
  bar.setAttribute('aria-label', 'Bulk actions');
  bar.hidden = true;

  const count = text('strong', '', 'bulk-count');
  count.id = 'bulk-count';
  count.setAttribute('aria-live', 'polite');

  const resolve = button('Resolve', () => run('resolve', {}));
  resolve.id = 'bulk-resolve';

  const reason = document.createElement('select');
  reason.dataset.field = 'reason';
  reason.append(new Option('choose a reason…', ''), ...REASONS.map((r) => new Option(r, r)));
  reason.value = '';
  const dismiss = button('Dismiss', () => {
    if (!reason.value) { refuse(reason, 'Choose why to dismiss first (the reason is kept with each case).'); return; }
    run('dismiss', { reason: reason.value });
  });
  dismiss.id = 'bulk-dismiss';
  const dismissGroup = group('bulk-works', ...labelled('bulk-reason', 'Dismiss as', reason), dismiss);

  const tags = document.createElement('input');
  tags.maxLength = 400;
  tags.placeholder = 'tags, comma-separated';
  tags.dataset.field = 'tags';
  const tag = button('Add tags', () => {
    const given = list(tags.value.toLowerCase());
    if (!given.length) { refuse(tags, 'Type the tags to add, separated by commas.'); return; }
    const bad = given.filter((t) => !TAG.test(t));
    if (bad.length) { refuse(tags, 'A tag is lower-case letters, digits and dashes, up to 32, no spaces: not ' + bad.map((t) => '“' + t + '”').join(', ') + '.'); return; }
    run('tag', { tags: given });
  });
  tag.id = 'bulk-tag';
  const tagGroup = group('bulk-works', ...labelled('bulk-tags', 'Tag', tags), tag);

  const assignee = document.createElement('select');
  assignee.dataset.field = 'assignee';
  assignee.appendChild(placeholder());
  const assign = button('Assign', () => {
    const o = assignee.selectedOptions[0];
    if (!o || o.hasAttribute('data-placeholder')) { refuse(assignee, 'Choose an agent to assign the cases to.'); return; }
    run('assign', { assignee: o.hasAttribute('data-unassign') ? null : o.value });
  });
  assign.id = 'bulk-assign';
  const assignGroup = group('bulk-lead', ...labelled('bulk-assignee', 'Assign to', assignee), assign);

  const clear = button('Clear selection', clearSelection);
  clear.id = 'bulk-clear';

  const line = text('p', '', 'error bulk-error');
  line.id = 'bulk-error';
  line.setAttribute('role', 'alert');

  const details = document.createElement('details');
  details.id = 'bulk-report';
  details.className = 'bulk-report';
  details.hidden = true;
  const summary = document.createElement('summary');
  summary.id = 'bulk-report-summary';
  const refusals = document.createElement('ul');
  refusals.id = 'bulk-refusals';
  details.append(summary, refusals);

  resolve.classList.add('bulk-works');
  const controls = document.createElement('div');
  controls.className = 'bulk-controls';
  controls.append(count, resolve, dismissGroup, tagGroup, assignGroup, clear);
  bar.append(controls, line, details);
  $('queue').before(bar);
  bulk.bar = bar;
}

function group(cls, ...children) {
  const g = document.createElement('span');
  g.className = 'bulk-group ' + cls;
  g.append(...children);
  return g;
}

function placeholder() {
  const o = new Option('Choose an agent…', '');
  o.dataset.placeholder = '';
  return o;
}

// A choice missing before anything is sent: said next to its control, as the server's refusals are.
function refuse(control, message) {
  said(new Error(message), control);
}

// Next to the control when there is one (said once, not twice), else in the bar's message line.
// (showFieldError places by the refusal's field; here the control is known, the action having only one field.)
function said(e, control) {
  $('bulk-error').textContent = '';
  const placed = control && Object.assign(new Error(e.message), { body: { ...(e.body || {}), field: '/' + control.dataset.field } });
  if (!placed || !showFieldError(bulk.bar, null, placed, () => control)) $('bulk-error').textContent = e.message;
}

// The agents a lead can assign to, with their open load, read each time the bar appears (loads change).
async function loadAgents() {
  const r = await api('GET', '/api/agents');
  const select = $('bulk-assignee');
  const chosen = select.value;
  const back = new Option('Nobody: back to the queue', '');
  back.dataset.unassign = '';
  select.replaceChildren(placeholder(), ...r.items.map((a) => new Option(a.username + ' — ' + a.openLoad + ' open', a.username)), back);
  if (r.items.some((a) => a.username === chosen)) select.value = chosen;
}

/** Shows the selection: every row's box, the header's (checked, indeterminate), and the bar with what it offers. */
function paint() {
  const ids = shownIds();
  const shown = new Set(ids);
  document.querySelectorAll('#queue-rows tr[data-case-id]').forEach((tr) => {
    const on = bulk.selected.has(tr.dataset.caseId);
    const box = tr.querySelector('td.bulk-pick input');
    if (box) box.checked = on;
    tr.classList.toggle('bulk-selected', on);
    tr.classList.toggle('bulk-refused', bulk.refused.has(tr.dataset.caseId));
  });
  const picked = ids.filter((id) => bulk.selected.has(id)).length;
  const all = $('bulk-all');
  all.checked = ids.length > 0 && picked === ids.length;
  all.indeterminate = picked > 0 && picked < ids.length;
  all.disabled = ids.length === 0;
  // Only cases still shown stay selected: what is acted on is always what the user sees ticked.
  for (const id of [...bulk.selected]) if (!shown.has(id)) bulk.selected.delete(id);
  if (!bulk.bar) buildBar();
  const showing = bulk.selected.size > 0;
  const appearing = showing && bulk.bar.hidden;
  bulk.bar.hidden = !showing;
  if (!showing) { clearReport(); return; }
  $('bulk-count').textContent = bulk.selected.size + ' selected';
  // Hidden, not disabled, as in the case pane: a lead is never offered dismissing, an agent never assigning.
  bulk.bar.querySelectorAll('.bulk-works').forEach((el) => { el.hidden = !works(); });
  bulk.bar.querySelectorAll('.bulk-lead').forEach((el) => { el.hidden = !has('lead'); });
  if (appearing && has('lead')) loadAgents().catch(report('load the agents to assign to'));
}

function clearReport() {
  if (!bulk.bar) return;
  $('bulk-error').textContent = '';
  clearFieldErrors(bulk.bar);
  $('bulk-report').hidden = true;
  $('bulk-refusals').replaceChildren();
  bulk.refused.clear();
  document.querySelectorAll('#queue-rows tr.bulk-refused').forEach((tr) => tr.classList.remove('bulk-refused'));
}

// ---- sending, and saying what happened ----

/** "19 cases dismissed as spam", "1 case tagged vip", "3 cases back in the queue". */
function doneWords(action, n, body) {
  const cases = counted(n, 'case');
  switch (action) {
    case 'dismiss': return cases + ' dismissed as ' + body.reason;
    case 'resolve': return cases + ' resolved';
    case 'tag': return cases + ' tagged ' + body.tags.join(', ');
    case 'assign': return body.assignee ? cases + ' assigned to ' + body.assignee : cases + ' back in the queue, unassigned';
    default: return cases + ' back';
  }
}

function refusalLines(r) {
  return r.results.filter((x) => !x.ok).map((x) => x.caseId + ': ' + x.message);
}

// The refusals, one line per case, in the bar (the refused cases stay selected, so the bar stays), each case's id a
// button that opens it; their rows are marked until the next action.
function showReport(r) {
  const refused = r.results.filter((x) => !x.ok);
  const details = $('bulk-report');
  details.hidden = !refused.length;
  refused.forEach((x) => bulk.refused.add(x.caseId));
  if (!refused.length) return;
  $('bulk-report-summary').textContent = counted(refused.length, 'case') + ' refused: why';
  $('bulk-refusals').replaceChildren(...refused.map((x) => {
    const li = document.createElement('li');
    const open = text('button', x.caseId, 'bulk-case');
    open.type = 'button';
    open.title = 'Open case ' + x.caseId;
    open.addEventListener('click', () => {
      const row = document.querySelector('#queue-rows tr[data-case-id="' + CSS.escape(x.caseId) + '"]');
      if (row) row.scrollIntoView({ block: 'nearest' });
      openCase(x.caseId).catch(report('open case ' + x.caseId));
    });
    li.append(open, ': ' + x.message);
    return li;
  }));
  details.open = true;
}

async function run(action, fields) {
  if (bulk.busy || !bulk.selected.size) return;
  clearReport();
  const caseIds = shownIds().filter((id) => bulk.selected.has(id));
  const body = { action, caseIds, ...fields };
  bulk.busy = true;
  bulk.bar.setAttribute('aria-busy', 'true');
  let r;
  try {
    r = await api('POST', '/api/cases/bulk', body);
  } catch (e) {
    // Refused as a whole (400 unknown assignee, a tag the rules refuse, 403): nothing changed; said at the control.
    const control = { dismiss: 'bulk-reason', tag: 'bulk-tags', assign: 'bulk-assignee' }[action];
    said(e, control ? $(control) : null);
    return;
  } finally {
    bulk.busy = false;
    bulk.bar.removeAttribute('aria-busy');
  }
  // Done cases leave the selection; refused ones stay, so the user can see them and act again.
  r.results.forEach((x) => { if (x.ok) bulk.selected.delete(x.caseId); });
  showReport(r);
  if (r.done && action === 'dismiss') $('bulk-reason').value = '';
  if (r.done && action === 'tag') $('bulk-tags').value = '';
  const message = (r.done ? doneWords(action, r.done, body) : 'No case changed') + (r.refused ? '; ' + r.refused + ' refused (listed above the queue)' : '');
  await refresh().catch(report('refresh the queue'));
  paint();
  if (r.undo) showUndo(message + '.', () => undo(r.undo.token));
  else toast(message + '.', { kind: r.done ? 'info' : 'error' });
  if (r.undoError) toast('The cases are closed, but their shared undo could not be kept: ' + r.undoError.message, { kind: 'error' });
}

/** The toast's Undo: every close of the bulk action undone in one request; what could not be is said per case. */
async function undo(token) {
  const r = await api('POST', '/api/cases/bulk/undo', { token });
  await refresh().catch(report('refresh the queue'));
  const lines = refusalLines(r);
  return counted(r.done, 'case') + ' back' + (lines.length ? '; ' + lines.length + ' not: ' + lines.join('; ') : '') + '.';
}

export function wireBulk() {
  // The x key in the shortcuts help, before Esc and ?, written here so the help stays with what it describes.
  const esc = [...document.querySelectorAll('#help dl.keys dt')].find((dt) => dt.textContent === 'Esc');
  if (esc) esc.before(text('dt', 'x'), text('dd', 'select or unselect the open case for a bulk action (the bar above the queue)'));
  $('bulk-all').addEventListener('click', (e) => { e.stopPropagation(); selectAll(e.target.checked); if (e.detail > 0) e.target.blur(); });
  // Each time the queue's rows are rebuilt (a refresh, a live update, another view): boxes, header and bar follow.
  new MutationObserver(() => { checkView(); paint(); }).observe($('queue-rows'), { childList: true });
}
