// The keyboard: single-key shortcuts for the queue and the case, never while something else has the keys.
import { state, $, works, showError } from './core.js';
import { moveSelection, setView } from './queue.js';
import { act } from './case.js';
import { sendReply, insertArticleLink } from './composer.js';
import { closeCase, pickDismissReason, singleKeyShortcutsOn } from './safety.js';
import { toggleCurrent } from './bulk.js';

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
  if (!singleKeyShortcutsOn()) return;
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
    'x': () => toggleCurrent(),
    '1': () => setView('mine'), '2': () => setView('unassigned'), '3': () => setView('open'),
    '4': () => setView('breaching'), '5': () => setView('dismissed')
  };
  const action = actions[e.key];
  if (action) { e.preventDefault(); action(); }
}

export function wireKeys() {
  document.addEventListener('keydown', onKey);
}
