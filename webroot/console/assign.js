// Assignment and claims that follow the work (issue #21).
// The lead picks an agent from a list of real, enabled case workers with their open load (no free text to mistype);
// the case header says when the claim lapses; typing in the composer renews the holder's claim.
import { state, $, api, has, syncClock, serverNow, report, showError } from './core.js';
import { refresh } from './case.js';

const assign = { caseId: null, lastTyping: 0, timer: null };
const TYPING_EVERY_MS = 30000;

// Called by openCase (case.js) each time a case is shown.
export function caseShown(c) {
  if (assign.caseId !== c.id) { assign.lastTyping = 0; $('assign-error').textContent = ''; }
  assign.caseId = c.id;
  paintClaimLapse();
  if (has('lead') && !$('assign-box').hidden) loadAgentPicker(c).catch(report('load the agents to assign to'));
}

// Called with each viewing heartbeat's answer (case.js): the holder's heartbeat moved the claim's end.
export function claimBeat(r) {
  syncClock(r.serverTime);
  const c = state.current;
  if (!c || c.id !== assign.caseId) return;
  const changed = c.claimExpiresAt !== r.claimExpiresAt || c.assignee !== r.assignee || c.state !== r.state;
  c.claimExpiresAt = r.claimExpiresAt; c.assignee = r.assignee; c.state = r.state;
  if (changed) paintHolder(c);
  paintClaimLapse();
}

function paintHolder(c) {
  const held = c.assignee && c.claimExpiresAt && Date.parse(c.claimExpiresAt) > serverNow();
  const closed = c.state === 'dismissed' || c.state === 'resolved';
  $('case-holder').textContent = closed ? '' : held ? 'Held by ' + c.assignee : 'Unclaimed';
  $('case-state').textContent = c.state + (c.dismissReason ? ': ' + c.dismissReason : '') + (c.customerConfirmed ? ' · customer confirmed' : '');
}

function clockTime(iso) {
  return new Date(Date.parse(iso)).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

// "Held by ana · your claim lapses in 9 min" to ana, "Held by ana · until 10:42" to others; nothing when unheld.
function paintClaimLapse() {
  const el = $('case-claim-lapse');
  const c = state.current;
  const left = c && c.assignee && c.claimExpiresAt ? Date.parse(c.claimExpiresAt) - serverNow() : 0;
  if (!c || c.id !== assign.caseId || left <= 0 || !['new', 'claimed', 'replied'].includes(c.state)) {
    el.textContent = '';
    el.classList.remove('soon');
    return;
  }
  const minutes = Math.max(1, Math.ceil(left / 60000));
  el.textContent = c.assignee === state.user
    ? '· your claim lapses in ' + minutes + ' min'
    : '· until ' + clockTime(c.claimExpiresAt); // after "Held by ana" (case.js): "Held by ana · until 10:42"
  el.title = 'The claim runs while its holder views or types in the case, and lapses after the idle period without either.';
  el.classList.toggle('soon', c.assignee === state.user && left < 2 * 60000);
}

async function loadAgentPicker(c) {
  const r = await api('GET', '/api/agents');
  if (!state.current || state.current.id !== c.id) return;
  const select = $('assign-to');
  const chosen = select.value;
  const options = [new Option('Choose an agent…', '')];
  options[0].dataset.placeholder = '';
  r.items.forEach((a) => {
    const o = new Option(a.username + ' — ' + a.openLoad + ' open' + (a.username === c.assignee ? ' (holds this case)' : ''), a.username);
    options.push(o);
  });
  if (c.assignee) {
    const back = new Option('Nobody: back to the queue', '');
    back.dataset.unassign = '';
    options.push(back);
  }
  select.replaceChildren(...options);
  if (r.items.some((a) => a.username === chosen)) select.value = chosen;
}

// Assign: the placeholder is not a choice, and a refusal is shown next to the picker, since a lead has no composer
// (where case errors are shown) and would otherwise see nothing when the server says no.
function assignSelected() {
  if (!state.selected) return;
  const error = $('assign-error');
  const option = $('assign-to').selectedOptions[0];
  if (!option || option.hasAttribute('data-placeholder')) {
    error.textContent = 'Choose an agent to assign the case to.';
    return;
  }
  error.textContent = '';
  api('POST', '/api/cases/' + state.selected + '/assign', { assignee: option.value || null })
    .catch((x) => { error.textContent = x.message; })
    .then(() => refresh()).catch(showError);
}

export function wireAssign() {
  $('assign').addEventListener('click', assignSelected);
  // Typing in the composer keeps the holder's claim running (at most one signal per TYPING_EVERY_MS).
  $('reply-text').addEventListener('input', () => {
    const c = state.current;
    if (!c || c.assignee !== state.user || Date.now() - assign.lastTyping < TYPING_EVERY_MS) return;
    assign.lastTyping = Date.now();
    api('POST', '/api/cases/' + c.id + '/typing').then(claimBeat).catch(report('keep your claim running while you type'));
  });
  assign.timer = setInterval(paintClaimLapse, 15000);
}
