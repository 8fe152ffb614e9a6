// The composer: the reply, its length as X counts it, canned responses and KB suggestions with tracked links.
import { state, $, api, text, renderList, works, report, showError } from './core.js';
import { refresh } from './case.js';
import { focusQueue } from './queue.js';

export async function sendReply(ev) {
  if (ev) ev.preventDefault();
  const value = $('reply-text').value;
  if (!state.selected || !value.trim()) return;
  // One key per draft: a double click or a retried request never posts twice.
  state.draftKey = state.draftKey || crypto.randomUUID();
  $('reply-send').disabled = true;
  let sent = false;
  try {
    const reply = { text: value };
    if (state.kbArticleId) reply.kbArticleId = state.kbArticleId;
    await api('POST', '/api/cases/' + state.selected + '/reply', reply, { 'Idempotency-Key': state.draftKey });
    $('reply-text').value = '';
    state.draftKey = null;
    state.kbArticleId = null;
    $('reply-error').textContent = '';
    // Sent: back to the queue, on the case's row or, once it has left the view, the next (after the refresh below), so j/k move on at once.
    $('reply-text').blur();
    sent = true;
    updateCount();
  } catch (e) {
    showError(e);
  } finally {
    $('reply-send').disabled = false;
  }
  await refresh();
  if (sent) focusQueue();
}

let countTimer = null;
export function updateCount(edited) {
  clearTimeout(countTimer);
  if (edited) state.draftKey = null;
  countTimer = setTimeout(async () => {
    const r = await api('POST', '/api/compose/length', { text: $('reply-text').value }).catch((e) => { report('count the reply\'s length')(e); return null; });
    if (!r) return;
    $('reply-count').textContent = r.weightedLength + ' / ' + r.limit;
    $('reply-count').classList.toggle('over', !r.valid && r.weightedLength > r.limit);
  }, 120);
}

export async function loadCanned() {
  const data = await api('GET', '/api/canned');
  const select = $('canned');
  select.replaceChildren(text('option', data.items.length ? 'Insert a canned response…'
    : 'No canned responses yet: a community manager adds them under Canned responses'));
  select.firstChild.value = '';
  for (const c of data.items) {
    const o = text('option', c.title);
    o.value = c.id;
    select.appendChild(o);
  }
}

async function insertCanned() {
  const id = $('canned').value;
  if (!id || !state.selected) return;
  const r = await api('POST', '/api/cases/' + state.selected + '/canned/' + encodeURIComponent(id));
  const box = $('reply-text');
  box.value = box.value ? box.value + ' ' + r.text : r.text;
  $('canned').value = '';
  box.focus();
  updateCount(true);
}

export async function loadSuggestions(caseId) {
  const r = await api('GET', '/api/kb/suggest?caseId=' + encodeURIComponent(caseId));
  if (state.selected !== caseId) return;
  state.suggestions = r.items;
  // Only suggestions above the relevance floor come back, so `i` never inserts a guess.
  renderList('suggestions', r.items, (a, i) => {
    const li = text('li', a.title);
    const why = { words: 'by words', meaning: 'by meaning', both: 'by words and meaning' }[a.why] || '';
    li.appendChild(text('span', Math.round(a.score * 100) + '% match ' + why, 'confidence'));
    if (works()) {
      const insert = text('button', i === 0 ? 'Insert link (i)' : 'Insert link');
      insert.type = 'button';
      insert.addEventListener('click', () => insertArticleLink(a).catch(showError));
      li.appendChild(insert);
    }
    return li;
  });
  if (!r.items.length) {
    $('suggestions').appendChild(text('li', 'No article is confident enough to suggest: published knowledge-base articles whose words or meaning match this mention show here.', 'muted'));
  }
}

/** A tracked short link for this article in this case goes into the reply; the reply records the article. */
export async function insertArticleLink(article) {
  if (!article || !state.selected || !works()) return;
  const link = await api('POST', '/api/kb/articles/' + article.id + '/links', { caseId: state.selected });
  const box = $('reply-text');
  box.value = (box.value ? box.value + ' ' : '') + link.url;
  state.kbArticleId = article.id;
  box.focus();
  updateCount(true);
}

export function wireComposer() {
  $('reply-form').addEventListener('submit', sendReply);
  $('reply-text').addEventListener('input', () => updateCount(true));
  $('canned').addEventListener('change', () => insertCanned().catch(showError));
}
