// Auto-assignment: an agent's "available for new cases" mark (PUT /api/me/availability) and the lead's setting
// (GET/PUT /api/settings/auto-assign), shown in the Service levels dialog with who is available now.
import { $, api, has, works, notice, report, showFieldError, clearFieldErrors } from './core.js';

/** Called at sign-in: those who work cases see their mark in the header. */
export function showAvailability() {
  $('availability-box').hidden = !works();
  if (!works()) return;
  api('GET', '/api/me/availability').then((a) => { $('available').checked = a.available; })
    .catch(report('read whether you are available for new cases'));
}

async function setAvailable(on) {
  const box = $('available');
  try {
    const a = await api('PUT', '/api/me/availability', { available: on });
    box.checked = a.available;
    notice(a.available ? 'You are available: new cases can be given to you in turn.' : 'You are away: no new cases are given to you.');
  } catch (e) {
    box.checked = !on;
    report('change your availability')(e);
  }
}

/** Fills the lead's auto-assignment form (in the Service levels dialog) and says who is available. */
export async function loadAutoAssign() {
  if (!has('lead')) return;
  clearFieldErrors($('auto-assign-form'));
  $('auto-assign-message').textContent = '';
  const [setting, agents] = await Promise.all([api('GET', '/api/settings/auto-assign'), api('GET', '/api/agents')]);
  $('auto-assign-enabled').checked = setting.enabled;
  $('auto-assign-max').value = setting.maxOpenPerAgent;
  const available = agents.items.filter((a) => a.available).map((a) => a.username + ' (' + a.openLoad + ' open)');
  $('auto-assign-available').textContent = available.length
    ? 'Available now: ' + available.join(', ') + '.'
    : 'Nobody is available now: agents mark themselves available in the header.';
}

async function saveAutoAssign(e) {
  e.preventDefault();
  const form = $('auto-assign-form');
  clearFieldErrors(form);
  $('auto-assign-message').textContent = '';
  try {
    const s = await api('PUT', '/api/settings/auto-assign',
      { enabled: $('auto-assign-enabled').checked, maxOpenPerAgent: Number($('auto-assign-max').value) });
    notice(s.enabled ? 'Auto-assignment is on: new cases go to available agents, at most ' + s.maxOpenPerAgent + ' open each.'
      : 'Auto-assignment is off: new cases wait in Unassigned.');
    await loadAutoAssign();
  } catch (err) {
    showFieldError(form, $('auto-assign-message'), err);
  }
}

export function wireAvailability() {
  $('available').addEventListener('change', () => setAvailable($('available').checked));
  $('auto-assign-form').addEventListener('submit', saveAutoAssign);
  $('sla-open').addEventListener('click', () => loadAutoAssign().catch(report('load the auto-assignment setting')));
}
