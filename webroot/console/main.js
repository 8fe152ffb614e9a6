// The console's entry: signing in, showing what the user's roles allow, and wiring every view.
// Native ES modules, no build step: each view is a module (queue, case, composer, kb, cycle, analytics, admin, live).
import { state, $, api, has, works, paintCountdowns, onDatabaseDown, report } from './core.js';
import { setView, loadCounts, showQueueEmpty, wireQueue } from './queue.js';
import { wireCase } from './case.js';
import { loadCanned, wireComposer } from './composer.js';
import { wireKb } from './kb.js';
import { wireSla } from './sla.js';
import { wireAnalytics } from './analytics.js';
import { wireCycle } from './cycle.js';
import { wireAdmin } from './admin.js';
import { loadSources } from './sources.js';
import { connectEvents, watchHealth, showDegraded } from './live.js';
import { wireKeys } from './keys.js';
import { wireSafety } from './safety.js';
import { wireFind, showFindBrands } from './find.js';
import { wireAssign } from './assign.js';
import { showAvailability, wireAvailability } from './availability.js';
import { wireBulk } from './bulk.js';
import './demo.js';

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
  loadCounts().catch(report('count the views'));
  loadSources().catch(report('load the listening sources'));
  if (works()) loadCanned().catch(report('load canned responses'));
  api('GET', '/api/brands').then((r) => { state.brands = r.items.map((b) => b.handle); showQueueEmpty(); showFindBrands(state.brands); }).catch(report('read the brands'));
  showAvailability();
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

function start() {
  onDatabaseDown(() => showDegraded(true));
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', async () => { await api('POST', '/api/logout').catch(report('sign out')); location.reload(); });
  $('help-open').addEventListener('click', () => $('help').showModal());
  $('help-close').addEventListener('click', () => $('help').close());
  // Find's capture listeners on the view buttons go first, so a built-in view clears the search before it loads.
  wireFind();
  wireQueue();
  wireCase();
  wireComposer();
  wireSafety();
  wireAssign();
  wireBulk();
  wireKb();
  wireSla();
  wireAnalytics();
  wireCycle();
  wireAdmin();
  wireAvailability();
  wireKeys();
  setInterval(paintCountdowns, 1000);
  // Not signed in (401) shows the sign-in form, which is already there; anything else is said.
  api('GET', '/api/me').then(showConsole).catch((e) => { if (e.status !== 401) report('read who is signed in')(e); });
}

// Module scripts run after the document is parsed (they are deferred), so the elements are there.
start();
