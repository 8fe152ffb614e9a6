// The demo's past month is played in the background at first start (DemoHistory): the console says how far it has
// got, from /health/ready, until it is in, so a newcomer knows why figures are still filling. Nothing shows otherwise.
(function demoHistoryProgress() {
  const line = document.getElementById('demo-history');
  if (!line) return;
  async function look() {
    let history;
    try {
      const ready = await fetch('/health/ready', { headers: { accept: 'application/json' } }).then((r) => r.json());
      const check = (ready.checks || []).find((c) => c.id === 'demoHistory');
      history = check ? check.data : null;
    } catch (e) {
      // Readiness unknown (a 503 while the database is away: the page says so elsewhere): ask again later.
      setTimeout(look, 5000);
      return;
    }
    // Not the demo, or not its first start, or over before this page opened: nothing to say.
    if (!history || !history.questions || (history.finished && line.hidden)) return;
    if (history.finished) {
      line.textContent = 'The demo\u2019s past month is in: ' + history.played + ' customer questions with their answers, clusters, a published post and figures.';
      setTimeout(() => { line.hidden = true; }, 10000);
      return;
    }
    line.hidden = false;
    line.textContent = 'Playing the demo\u2019s past month in the background: ' + history.played + ' of ' + history.questions +
      ' customer questions so far. Frequent questions, Analytics, /status and the blog fill as it goes; the console is usable meanwhile.';
    setTimeout(look, 2000);
  }
  look();
})();
