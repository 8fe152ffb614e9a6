// Live updates (server-sent events) and the degraded banner while the database is away.
import { state, $, notice, report } from './core.js';
import { refresh, showViewers } from './case.js';
import { loadSources } from './sources.js';

// Readiness is the server's own verdict on the database; while it fails the console says so and keeps checking.
export function showDegraded(down) {
  const wasDown = !$('degraded').hidden;
  $('degraded').hidden = !down;
  if (wasDown && !down) refresh().catch(report('refresh the queue'));
}

export function watchHealth() {
  if (state.healthWatch) return;
  const check = () => fetch('/health/ready', { cache: 'no-store' })
    .then((r) => showDegraded(!r.ok), () => showDegraded(true));
  check();
  state.healthWatch = setInterval(check, 5000);
}

export function connectEvents() {
  if (state.events) state.events.close();
  const es = new EventSource('/api/events');
  let pending = null;
  const soon = () => {
    clearTimeout(pending);
    pending = setTimeout(() => refresh().catch(report('refresh the queue')), 250);
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
  es.addEventListener('source', () => loadSources().catch(report('refresh the listening sources')));
  state.events = es;
}
