// The knowledge base and canned responses, as community managers keep them.
import { $, api, text, renderList, list, counted, notice, showFieldError, clearFieldErrors, showError } from './core.js';
import { loadCanned } from './composer.js';

function kbDraft() {
  return {
    title: $('kb-title-input').value.trim(), question: $('kb-question').value.trim(),
    steps: $('kb-steps').value.split('\n').map((x) => x.trim()).filter(Boolean),
    product: $('kb-product').value.trim(), tags: list($('kb-tags').value.toLowerCase()), status: $('kb-status').value
  };
}

async function searchKb(e) {
  if (e) e.preventDefault();
  const q = $('kb-q').value.trim();
  const r = await api('GET', '/api/kb/articles' + (q ? '?q=' + encodeURIComponent(q) : ''));
  renderList('kb-list', r.items, (a) => {
    const li = text('li', a.title + ' (' + a.status + ', rev ' + a.revision + ') ');
    const edit = text('button', 'Edit');
    edit.type = 'button';
    edit.addEventListener('click', () => editArticle(a.id).catch(showKbError));
    li.appendChild(edit);
    return li;
  });
  if (!r.items.length) {
    $('kb-list').appendChild(text('li', q ? 'No article matches “' + q + '”: try other words, or write it with New article.'
      : 'No articles yet: New article writes the first; once published it is suggested to agents and appears on /kb/.', 'empty'));
  }
}

function newArticle() {
  $('kb-form').reset();
  $('kb-id').value = '';
  $('kb-revisions').replaceChildren();
  $('kb-message').textContent = '';
  $('kb-save-anyway').hidden = true;
  $('kb-title-input').focus();
}

async function editArticle(id) {
  const a = await api('GET', '/api/kb/articles/' + id);
  $('kb-id').value = a.id;
  $('kb-title-input').value = a.title;
  $('kb-question').value = a.question;
  $('kb-steps').value = a.steps.join('\n');
  $('kb-product').value = a.product || '';
  $('kb-tags').value = a.tags.join(', ');
  $('kb-status').value = a.status;
  $('kb-message').textContent = '';
  $('kb-save-anyway').hidden = true;
  const revs = await api('GET', '/api/kb/articles/' + id + '/revisions');
  renderList('kb-revisions', revs.items, (r) => text('li', 'rev ' + r.revision + ' by ' + r.replacedBy + ' at ' + r.at + ': ' + r.article.title));
}

function showKbError(e) { $('kb-message').textContent = e.message; }

async function saveArticle(allowDuplicate) {
  const id = $('kb-id').value;
  const body = { ...kbDraft(), allowDuplicate };
  clearFieldErrors($('kb-form'));
  try {
    const saved = id ? await api('PUT', '/api/kb/articles/' + id, body) : await api('POST', '/api/kb/articles', body);
    $('kb-id').value = saved.id;
    $('kb-save-anyway').hidden = true;
    const a = saved.affected || {};
    const parts = [];
    if (a.openCases && a.openCases.length) parts.push('open cases ' + a.openCases.join(', '));
    if (a.replies && a.replies.length) parts.push(counted(a.replies.length, 'reply', 'replies') + ' in ' + counted(a.cases.length, 'case'));
    if (a.posts && a.posts.length) parts.push('blog posts: ' + a.posts.map((p) => p.title + ' (' + p.status + ')').join('; '));
    const affected = parts.length ? ' It was linked in ' + parts.join(', ') + ': check those answers still hold.' : '';
    $('kb-message').textContent = 'Saved (/kb/' + saved.slug + ').' + affected;
    await searchKb();
  } catch (e) {
    if (e.body && e.body.error === 'duplicate-article') {
      $('kb-message').textContent = 'An article already answers this: "' + e.body.duplicateOf.title + '" (/kb/' + e.body.duplicateOf.slug + '). Edit that one, or save anyway.';
      $('kb-save-anyway').hidden = false;
    } else {
      showFieldError($('kb-form'), $('kb-message'), e);
    }
  }
}

async function openCannedManager() {
  await loadCanned();
  const data = await api('GET', '/api/canned');
  renderList('canned-list', data.items, (c) => {
    const li = text('li', c.id + ': ' + c.title + ' — ' + c.body);
    const edit = text('button', 'Edit');
    edit.type = 'button';
    edit.addEventListener('click', () => { $('canned-id').value = c.id; $('canned-title-input').value = c.title; $('canned-body').value = c.body; });
    li.appendChild(edit);
    return li;
  });
  if (!data.items.length) $('canned-list').appendChild(text('li', 'None yet: the first one you save below shows here and in every agent\'s Canned (t) list.', 'empty'));
  $('canned-error').textContent = '';
  $('canned-dialog').showModal();
}

async function saveCannedResponse(e) {
  e.preventDefault();
  try {
    await api('PUT', '/api/canned/' + encodeURIComponent($('canned-id').value.trim()),
      { title: $('canned-title-input').value.trim(), body: $('canned-body').value });
    $('canned-form').reset();
    await openCannedManager();
    notice('Canned response saved.');
  } catch (err) {
    showFieldError($('canned-form'), $('canned-error'), err);
  }
}

export function wireKb() {
  $('canned-open').addEventListener('click', () => openCannedManager().catch(showError));
  $('canned-form').addEventListener('submit', saveCannedResponse);
  $('canned-close').addEventListener('click', () => $('canned-dialog').close());
  $('kb-open').addEventListener('click', () => { newArticle(); searchKb().catch(showKbError); $('kb-dialog').showModal(); });
  $('kb-search-form').addEventListener('submit', (e) => searchKb(e).catch(showKbError));
  $('kb-new').addEventListener('click', newArticle);
  $('kb-form').addEventListener('submit', (e) => { e.preventDefault(); saveArticle(false); });
  $('kb-save-anyway').addEventListener('click', () => saveArticle(true));
  $('kb-close').addEventListener('click', () => $('kb-dialog').close());
}
