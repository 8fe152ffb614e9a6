// Safety in the agent's workspace (issue 21): undo toasts, reopen, a deliberate dismissal reason, and a per-user
// switch for single-key shortcuts (WCAG 2.1.4).
import { state, $, api, works, notice, toast, report, showError } from './core.js';
import { refresh } from './case.js';

// ---- undo toasts: in the one notification area (core.js), above every dialog ----

/**
 * Shows {@code message} with an Undo button for 8 seconds; a click runs {@code undoFn} (a function returning a Promise)
 * and says how it went. Bulk actions reuse this: showUndo('12 cases dismissed', () => api(...)).
 */
export function showUndo(message, undoFn) {
  return toast(message, { action: { label: 'Undo', run: undoFn } });
}
window.showUndo = showUndo; // the browser tests show a toast of their own

// ---- closing a case: dismiss (with a chosen reason) and resolve, each undoable ----

/** Dismisses or resolves the selected case and offers the undo the server handed back. */
export async function closeCase(path) {
  if (!state.selected) return;
  const id = state.selected;
  let body;
  if (path === '/dismiss') {
    const reason = $('dismiss-reason').value;
    if (!reason) { pickDismissReason(); showError(new Error('Choose why to dismiss first (the reason is kept with the case).')); return; }
    body = { reason };
  }
  $('reply-error').textContent = '';
  let closed = null;
  try {
    closed = await api('POST', '/api/cases/' + id + path, body);
    $('dismiss-reason').value = '';
  } catch (e) { showError(e); }
  await refresh();
  if (closed && closed.undo) {
    const what = path === '/dismiss' ? 'Dismissed as “' + body.reason + '”' : 'Resolved';
    showUndo(what + ': case ' + id + ' (@' + closed.customer.handle + ').', async () => {
      await api('POST', '/api/cases/' + id + '/undo', { token: closed.undo.token });
      await refresh();
      return 'Undone: case ' + id + ' is back as it was.';
    });
  }
}

/** The `d` key: the reason picker, focused; arrows choose, Enter dismisses. Nothing is dismissed by one key. */
export function pickDismissReason() {
  const select = $('dismiss-reason');
  if (select.hidden) return;
  select.focus();
}

async function reopenCase() {
  if (!state.selected) return;
  const id = state.selected;
  try {
    await api('POST', '/api/cases/' + id + '/reopen');
    notice('Reopened: case ' + id + ' waits on us again, with a next-response clock from now.');
  } catch (e) { showError(e); }
  await refresh();
}

/** Called by openCase (case.js): a closed case offers Reopen to those who work cases. */
export function safetyShowCase(c) {
  const closed = c.state === 'dismissed' || c.state === 'resolved';
  $('reopen').hidden = !(works() && closed);
}

// ---- single-key shortcuts, per user: stored with the user (PUT /api/me/preferences), cached in this browser ----

let shortcutsSetting = null; // the server's answer, once read

function shortcutsKey() { return 'careloop.singleKeyShortcuts.' + (state.user || ''); }

/** Whether this user wants single-key shortcuts (on unless they turned them off). */
export function singleKeyShortcutsOn() {
  if (shortcutsSetting !== null) return shortcutsSetting;
  // Until the server answers, the last known setting in this browser (so "off" holds from the first key).
  try { return localStorage.getItem(shortcutsKey()) !== 'off'; } catch (e) { return true; }
}
window.singleKeyShortcutsOn = singleKeyShortcutsOn; // read by the browser tests

function remember(on) {
  shortcutsSetting = on;
  try { if (on) localStorage.removeItem(shortcutsKey()); else localStorage.setItem(shortcutsKey(), 'off'); } catch (e) { /* private mode */ }
}

async function setSingleKeyShortcuts(on) {
  remember(on);
  try {
    const saved = await api('PUT', '/api/me/preferences', { singleKeyShortcuts: on });
    remember(saved.singleKeyShortcuts !== false);
  } catch (e) { notice('Could not save the shortcut setting: ' + e.message); }
}

function loadPreferences() {
  shortcutsSetting = null;
  api('GET', '/api/me/preferences').then((p) => remember(p.singleKeyShortcuts !== false)).catch(report('read your shortcut setting'));
}

export function wireSafety() {
  $('resolve').addEventListener('click', () => closeCase('/resolve'));
  $('dismiss').addEventListener('click', () => closeCase('/dismiss'));
  $('reopen').addEventListener('click', reopenCase);
  $('dismiss-reason').addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    if (!$('dismiss-reason').value) { showError(new Error('Choose a reason with the arrow keys, then Enter.')); return; }
    // Out of the picker again, so j, k and the rest work on the next case.
    $('dismiss-reason').blur();
    closeCase('/dismiss');
  });
  const box = $('shortcuts-on');
  box.addEventListener('change', () => setSingleKeyShortcuts(box.checked));
  // The help dialog shows the current user's setting each time it opens.
  // Each sign-in reads the user's settings (the console view shows once signed in).
  new MutationObserver(() => { if (!$('console-view').hidden) loadPreferences(); })
    .observe($('console-view'), { attributes: true, attributeFilter: ['hidden'] });
  if (!$('console-view').hidden) loadPreferences();
  new MutationObserver(() => { if ($('help').open) box.checked = singleKeyShortcutsOn(); })
    .observe($('help'), { attributes: true, attributeFilter: ['open'] });
}
