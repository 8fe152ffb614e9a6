// The virtuous cycle: frequent questions (clusters), blog posts and the proactive tweet, as its own confirmed step.
import { state, $, api, text, renderList, has, list, counted, notice, report, showFieldError } from './core.js';

function showCycleError(e) { $('cycle-message').textContent = e.message; }

function button(label, onClick) {
  const b = text('button', label);
  b.type = 'button';
  b.addEventListener('click', () => Promise.resolve(onClick()).catch(showCycleError));
  return b;
}

async function loadClusters(e) {
  if (e) e.preventDefault();
  $('cycle-message').textContent = '';
  const days = $('cycle-days').value;
  const [r, funnel] = await Promise.all([api('GET', '/api/clusters?days=' + days), api('GET', '/api/cycle/funnel?days=' + days)]);
  $('cycle-funnel').textContent = 'Last ' + days + ' days: ' + funnel.mentions + ' mentions → ' + funnel.answeredWithKbLink +
    ' answered with a KB link → ' + funnel.promoted + ' promoted → ' + funnel.blogAndFeedViews + ' blog and feed views → ' +
    counted(funnel.proactiveTweets, 'proactive tweet') + ' → ' + counted(funnel.clicks, 'click');
  renderList('cluster-list', r.items, (c) => {
    const li = document.createElement('li');
    li.dataset.cluster = c.id;
    const head = document.createElement('div');
    if (has('community')) {
      const pick = document.createElement('input');
      pick.type = 'checkbox';
      pick.className = 'cluster-pick';
      pick.value = c.id;
      pick.setAttribute('aria-label', 'Select cluster ' + (c.question || c.id));
      head.appendChild(pick);
    }
    head.appendChild(text('span', c.question || '(no words)', 'question'));
    if (c.suggested) head.appendChild(text('span', 'Suggested for the blog', 'badge'));
    li.appendChild(head);
    li.appendChild(text('div', 'asked ' + c.asked + ' times (' + c.trend + ', ' + c.askedBefore + ' the window before) · ' + c.size +
      ' in all · ' + c.kbLinked + ' answered with a KB link · ' + c.status, 'meta'));
    const examples = document.createElement('ul');
    examples.className = 'examples';
    for (const x of c.examples) examples.appendChild(text('li', '@' + x.handle + ': ' + x.text));
    li.appendChild(examples);
    if (c.answer) li.appendChild(text('div', 'Answer given: ' + c.answer, 'meta'));
    const actions = document.createElement('div');
    actions.appendChild(button('Members', () => showMembers(c.id)));
    if (has('community')) {
      if (c.postId) actions.appendChild(button('Open post', () => openPost(c.postId)));
      else actions.appendChild(button('Promote to blog', () => promote(c.id)));
      actions.appendChild(button('Dismiss', async () => { await api('POST', '/api/clusters/' + c.id + '/dismiss'); await loadClusters(); }));
    }
    li.appendChild(actions);
    return li;
  });
  if (!r.items.length) {
    $('cluster-list').appendChild(text('li', 'No frequent questions in the last ' + days + ' days. Clusters form as agents answer; answers with a KB link count most, and a question shows here once it has been answered twice.', 'empty'));
  }
  await loadPosts();
}

async function showMembers(id) {
  const c = await api('GET', '/api/clusters/' + id);
  $('cluster-members-box').hidden = false;
  $('cluster-members-box').dataset.cluster = id;
  $('members-title').textContent = 'Members of “' + (c.question || id) + '”';
  renderList('cluster-members', c.members, (m) => {
    const li = document.createElement('li');
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = m.caseId;
    box.className = 'member-pick';
    label.appendChild(box);
    label.appendChild(document.createTextNode(' @' + m.handle + ': ' + m.text));
    li.appendChild(label);
    return li;
  });
  const e = c.effect;
  if (e && e.published) {
    $('cluster-members').appendChild(text('li', 'Effect: asked ' + e.weeklyBefore + ' a week in the ' + e.weeksBefore.length +
      ' weeks before the post, ' + e.weeklyAfter + ' a week after (' + e.completeWeeksAfter + ' whole weeks so far); ' +
      e.postViews + ' post views, ' + e.postLinkClicks + ' clicks from the tweet, ' + e.kbLinkClicks + ' KB link clicks', 'meta'));
  }
}

async function splitMembers() {
  const id = $('cluster-members-box').dataset.cluster;
  const caseIds = [...document.querySelectorAll('.member-pick:checked')].map((b) => b.value);
  if (!caseIds.length) throw new Error('Check the members to split off first');
  await api('POST', '/api/clusters/' + id + '/split', { caseIds });
  $('cluster-members-box').hidden = true;
  await loadClusters();
}

async function mergeSelected() {
  const ids = [...document.querySelectorAll('.cluster-pick:checked')].map((b) => b.value);
  if (ids.length < 2) throw new Error('Select at least two clusters to merge');
  for (const other of ids.slice(1)) await api('POST', '/api/clusters/' + other + '/merge', { into: ids[0] });
  await loadClusters();
}

async function promote(id) {
  const post = await api('POST', '/api/clusters/' + id + '/promote', { anonymise: false });
  await loadClusters();
  await openPost(post.id);
}

async function loadPosts() {
  const r = await api('GET', '/api/blog/posts');
  renderList('post-list', r.items, (p) => {
    const li = text('li', p.title + ' (' + p.status + (p.tweet ? ', tweet ' + p.tweet.state : '') + ') ');
    li.appendChild(button(has('community') ? 'Edit' : 'Open', () => openPost(p.id)));
    return li;
  });
  if (!r.items.length) {
    $('post-list').appendChild(text('li', has('community')
      ? 'No blog posts yet: "Promote to blog" on a frequent question above drafts one from its question, answer and KB article.'
      : 'No blog posts yet: a community manager drafts one by promoting a frequent question above.', 'empty'));
  }
}

let postWatch = null;

function showPost(p) {
  state.post = p;
  const editable = has('community');
  $('post-form').hidden = false;
  $('post-id').value = p.id;
  $('post-title').value = p.title;
  $('post-body').value = p.body;
  $('post-tags').value = p.tags.join(', ');
  $('post-anonymise').checked = p.anonymise;
  for (const id of ['post-title', 'post-body', 'post-tags']) $(id).readOnly = !editable;
  $('post-anonymise').disabled = !editable;
  const e = p.effect;
  $('post-status').textContent = 'Status: ' + p.status + (p.slug ? ' at /blog/' + p.slug : '') + ' · ' + p.views + ' views · ' + p.clicks + ' clicks' +
    (e && e.published ? ' · asked ' + e.weeklyBefore + ' a week before it went up, ' + e.weeklyAfter + ' after' : '');
  renderList('post-quotes', p.quotes, (q) => text('li', '“' + q.text + '” (' + q.by + ')'));
  if (!p.quotes.length) $('post-quotes').appendChild(text('li', 'Nobody is quoted: only customers whose X account is public are, and none are when quotes are anonymised away.', 'empty'));
  $('post-public').hidden = !(p.status === 'published' && p.slug);
  if (p.slug) $('post-public').href = '/blog/' + encodeURIComponent(p.slug);
  showTweetState(p);
  if (editable) {
    $('post-publish').hidden = p.status === 'published';
    $('post-unpublish').hidden = p.status !== 'published';
  }
}

// ---- the proactive tweet: its own step, after publishing, with the exact text and an explicit confirmation ----

const TWEET_UNDER_WAY = ['pending', 'posting'];

function showTweetState(p) {
  const t = p.tweet;
  const line = $('post-tweet-state');
  if (!t) {
    line.textContent = p.status === 'published'
      ? 'Not tweeted. Publishing never posts to X; "Tweet about it…" shows the tweet and asks before posting.'
      : 'Not tweeted. Once the post is published you can tweet about it, as a separate step.';
    line.className = 'muted';
  } else if (t.state === 'posted') {
    line.textContent = 'Tweet posted' + (t.xTweetId ? ' (X id ' + t.xTweetId + ')' : '') + ': ' + t.text;
    line.className = 'tweet-posted';
  } else if (t.state === 'failed') {
    line.textContent = 'Tweet failed: ' + (t.error || 'X gave no reason') + '. Nothing was posted; you can try again.';
    line.className = 'tweet-failed';
  } else {
    line.textContent = 'Tweet pending (' + t.state + '): waiting for X to confirm it.';
    line.className = 'tweet-pending';
  }
  const can = has('community') && p.status === 'published' && (!t || t.state === 'failed');
  $('tweet-open').hidden = !can || !$('tweet-step').hidden;
  $('tweet-open').textContent = t && t.state === 'failed' ? 'Try the tweet again…' : 'Tweet about it…';
  if (!can) closeTweetStep();
  // A tweet under way is watched until X confirms or refuses it.
  clearTimeout(postWatch);
  if (t && TWEET_UNDER_WAY.includes(t.state)) {
    postWatch = setTimeout(() => {
      if (state.post && state.post.id === p.id && !$('post-form').hidden) {
        api('GET', '/api/blog/posts/' + p.id).then(showPost).catch(report('check the tweet\'s state'));
      }
    }, 2000);
  }
}

async function openPost(id) {
  const p = await api('GET', '/api/blog/posts/' + id);
  closeTweetStep();
  showPost(p);
  $('post-title').focus();
}

let tweetTimer = null;
let tweetEdited = false;
let tweetPreviewed = null; // the text the exact preview shows was composed from, so Confirm posts what was shown

async function postingAccount() {
  // Proactive tweets post as the configured brand, the first one CareLoop knows.
  if (!state.postingAccount) {
    const r = await api('GET', '/api/brands').catch((e) => { report('read the posting account')(e); return null; });
    state.postingAccount = r && r.items.length ? '@' + r.items[0].handle : 'the brand';
  }
  return state.postingAccount;
}

async function openTweetStep() {
  const p = state.post;
  if (!p) return;
  $('tweet-error').textContent = '';
  $('tweet-exact').textContent = '';
  $('post-tweet-count').textContent = '';
  $('tweet-confirm-yes').disabled = true;
  $('tweet-step').hidden = false;
  $('tweet-open').hidden = true;
  $('tweet-account').textContent = await postingAccount();
  const failed = p.tweet && p.tweet.state === 'failed';
  // A failed tweet is retried exactly as it was stored, link and all, so its text is not editable.
  $('post-tweet-text').readOnly = Boolean(failed);
  if (failed) {
    $('post-tweet-text').value = p.tweet.text;
    const r = await api('POST', '/api/compose/length', { text: p.tweet.text });
    showExact({ text: p.tweet.text, weightedLength: r.weightedLength, limit: r.limit, valid: r.valid }, p.tweet.text);
  } else {
    const preview = await api('POST', '/api/blog/posts/' + p.id + '/tweet-preview', {});
    $('post-tweet-text').value = preview.text.replace(preview.link, '{{link}}');
    tweetEdited = false;
    showExact(preview, $('post-tweet-text').value.trim());
  }
  $('post-tweet-text').focus();
}

function closeTweetStep() {
  $('tweet-step').hidden = true;
  tweetPreviewed = null;
  clearTimeout(tweetTimer);
  if (state.post) {
    const t = state.post.tweet;
    $('tweet-open').hidden = !(has('community') && state.post.status === 'published' && (!t || t.state === 'failed'));
  }
}

function showExact(r, from) {
  $('tweet-exact').textContent = r.text;
  $('post-tweet-count').textContent = r.weightedLength + ' / ' + r.limit + (r.valid ? '' : ' (too long: shorten it before posting)');
  $('post-tweet-count').className = r.valid ? '' : 'tweet-over';
  tweetPreviewed = from;
  $('tweet-confirm-yes').disabled = !r.valid;
}

// Every edit is measured again on the server, with the real tracked link, as X will count it.
async function previewTweet() {
  const id = $('post-id').value;
  const value = $('post-tweet-text').value.trim();
  if (!id || !value || $('tweet-step').hidden) return;
  const r = await api('POST', '/api/blog/posts/' + id + '/tweet-preview', { text: value });
  if ($('post-tweet-text').value.trim() === value) showExact(r, value);
}

// Until the author edits the tweet, it follows the title ("Wondering how to …?").
async function recomposeTweet() {
  const id = $('post-id').value;
  const title = $('post-title').value.trim();
  if (!id || tweetEdited || title.length < 3 || $('tweet-step').hidden || $('post-tweet-text').readOnly) return;
  const preview = await api('POST', '/api/blog/posts/' + id + '/tweet-preview', { title });
  $('post-tweet-text').value = preview.text.replace(preview.link, '{{link}}');
  await previewTweet();
}

function tweetTextEdited() {
  tweetEdited = true;
  tweetPreviewed = null;
  $('tweet-confirm-yes').disabled = true; // until the exact text for this edit is shown
  clearTimeout(tweetTimer);
  tweetTimer = setTimeout(() => previewTweet().catch((e) => { $('tweet-error').textContent = e.message; }), 250);
}

async function confirmTweet() {
  const p = state.post;
  const failed = p.tweet && p.tweet.state === 'failed';
  const value = $('post-tweet-text').value.trim();
  if (!failed && tweetPreviewed !== value) return; // the shown text is not yet the one that would be posted
  $('tweet-confirm-yes').disabled = true;
  $('tweet-error').textContent = '';
  try {
    const t = await api('POST', '/api/blog/posts/' + p.id + '/tweet', failed || !value ? {} : { text: value });
    closeTweetStep();
    notice(t.state === 'posted' ? 'Tweet posted to X.' : 'Tweet ' + t.state + '.');
  } catch (e) {
    $('tweet-error').textContent = 'Not posted: ' + e.message;
    $('tweet-confirm-yes').disabled = false;
  }
  showPost(await api('GET', '/api/blog/posts/' + p.id));
  await loadPosts();
}

function postEdit() {
  return {
    title: $('post-title').value.trim(), body: $('post-body').value,
    tags: list($('post-tags').value.toLowerCase()), anonymise: $('post-anonymise').checked
  };
}

async function savePost(e) {
  if (e) e.preventDefault();
  if (!has('community')) return null;
  const p = await api('PUT', '/api/blog/posts/' + $('post-id').value, postEdit());
  showPost(p);
  notice('Saved');
  return p;
}

// Publishing publishes, nothing more: the tweet is a second, confirmed step.
async function publishPost() {
  await savePost();
  const p = await api('POST', '/api/blog/posts/' + $('post-id').value + '/publish', {});
  showPost(p);
  notice('Published. Nothing was posted to X; "Tweet about it…" announces it when you are ready.');
  await loadPosts();
}

async function unpublishPost() {
  showPost(await api('POST', '/api/blog/posts/' + $('post-id').value + '/unpublish'));
  await loadPosts();
}

export function wireCycle() {
  $('cycle-open').addEventListener('click', () => { $('post-form').hidden = true; loadClusters().catch(showCycleError); $('cycle-dialog').showModal(); });
  $('cycle-form').addEventListener('submit', (e) => loadClusters(e).catch(showCycleError));
  $('cycle-merge').addEventListener('click', () => mergeSelected().catch(showCycleError));
  $('cluster-split').addEventListener('click', () => splitMembers().catch(showCycleError));
  $('post-form').addEventListener('submit', (e) => savePost(e).catch((err) => showFieldError($('post-form'), $('cycle-message'), err)));
  $('post-publish').addEventListener('click', () => publishPost().catch(showCycleError));
  $('post-unpublish').addEventListener('click', () => unpublishPost().catch(showCycleError));
  $('post-title').addEventListener('input', () => { clearTimeout(tweetTimer); tweetTimer = setTimeout(() => recomposeTweet().catch(showCycleError), 250); });
  $('post-tweet-text').addEventListener('input', tweetTextEdited);
  $('tweet-open').addEventListener('click', () => openTweetStep().catch((e) => { $('tweet-error').textContent = e.message; }));
  $('tweet-cancel').addEventListener('click', () => { closeTweetStep(); notice('Not posted: nothing went to X.'); $('tweet-open').focus(); });
  $('tweet-confirm-yes').addEventListener('click', () => confirmTweet().catch(showCycleError));
  $('cycle-close').addEventListener('click', () => $('cycle-dialog').close());
}
