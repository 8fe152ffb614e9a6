// The listening sources under the queue: lag, requests, this month's reads against the cap, health, pause/resume.
import { $, api, text, has, syncClock, serverNow, showError } from './core.js';

export async function loadSources() {
  const data = await api('GET', '/api/sources');
  syncClock(data.serverTime);
  const filter = $('source-filter');
  if (filter.options.length !== data.items.length + 1) {
    const chosen = filter.value;
    filter.replaceChildren(text('option', 'all sources'), ...data.items.map((s) => {
      const o = text('option', s.kind === 'MENTIONS' ? '@' + s.brand + ' mentions' : 'search ' + s.query);
      o.value = s.id;
      return o;
    }));
    filter.firstChild.value = '';
    filter.value = chosen;
  }
  const budget = data.readBudget;
  $('read-budget').textContent = 'This month the X account has read ' + budget.used + ' of its ' + budget.cap + ' posts'
    + (budget.used + budget.page > budget.cap ? ': the cap is reached, polling waits for next month.' : '.');
  $('read-budget').className = budget.used + budget.page > budget.cap ? 'error' : 'muted';
  // Rows are kept and updated in place (this refreshes on every poll): a button never disappears under the pointer.
  const body = $('source-rows');
  const seen = new Set();
  for (const s of data.items) {
    seen.add(s.id);
    let tr = body.querySelector('tr[data-source-row="' + CSS.escape(s.id) + '"]');
    if (!tr) {
      tr = document.createElement('tr');
      tr.dataset.sourceRow = s.id;
      for (let i = 0; i < 6; i++) tr.appendChild(document.createElement('td'));
      if (has('admin')) {
        const toggle = document.createElement('button');
        toggle.type = 'button';
        toggle.dataset.source = s.id;
        toggle.addEventListener('click', () => api('PATCH', '/api/sources/' + s.id, { paused: toggle.dataset.paused !== 'true' }).then(loadSources).catch(showError));
        tr.children[5].appendChild(toggle);
      }
      body.appendChild(tr);
    }
    // Lag: how long since this source last polled successfully, by the server's clock.
    const lag = s.lastSuccessAt ? Math.max(0, Math.round((serverNow() - Date.parse(s.lastSuccessAt)) / 1000)) + ' s ago' : 'never';
    const health = s.paused ? 'paused' : s.capReached ? 'waiting: ' + s.lastError
      : s.consecutiveFailures ? s.consecutiveFailures + ' failures: ' + s.lastError : 'ok';
    const cells = tr.children;
    cells[0].textContent = s.kind === 'MENTIONS' ? 'mentions of @' + s.brand : 'search ' + s.query + ' (@' + s.brand + ')';
    cells[1].textContent = lag;
    cells[2].textContent = String(s.requests);
    cells[3].textContent = s.postsReadThisMonth + ' / ' + s.monthlyReadCap + ' (' + s.projectedMonthReads + ' by month end)';
    cells[4].textContent = health;
    cells[4].className = s.consecutiveFailures || s.capReached ? 'error' : '';
    const toggle = cells[5].querySelector('button');
    if (toggle) {
      toggle.dataset.paused = String(s.paused);
      toggle.textContent = s.paused ? 'Resume' : 'Pause';
    }
  }
  for (const tr of [...body.children]) if (!seen.has(tr.dataset.sourceRow)) tr.remove();
  $('sources-empty').hidden = data.items.length > 0;
}
