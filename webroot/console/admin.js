// Administration (users, brands, keyword sources, backups, nodes) and the audit log.
import { $, api, text, renderList, ask, report, showFieldError, clearFieldErrors, showError } from './core.js';
import { loadSources } from './sources.js';

async function loadUsers() {
  const r = await api('GET', '/api/users');
  renderList('user-rows', r.items, (u) => {
    const tr = document.createElement('tr');
    tr.dataset.user = u.username;
    const actions = text('td', '');
    const toggle = text('button', u.disabled ? 'Enable' : 'Disable');
    toggle.type = 'button';
    toggle.addEventListener('click', () => adminDo('PATCH', '/api/users/' + encodeURIComponent(u.username), { disabled: !u.disabled }).catch(() => 'shown'));
    const roles = document.createElement('select');
    roles.setAttribute('aria-label', 'Role of ' + u.username);
    for (const r of ['agent', 'community', 'lead', 'admin']) { const o = text('option', r); o.selected = u.roles.includes(r); roles.appendChild(o); }
    roles.addEventListener('change', () => adminDo('PATCH', '/api/users/' + encodeURIComponent(u.username), { roles: [roles.value] }).catch(() => 'shown'));
    const reset = text('button', 'Reset password');
    reset.type = 'button';
    reset.addEventListener('click', () => ask({
      title: 'Reset the password of ' + u.username, label: 'New password (12 characters or more)', type: 'password',
      minLength: 12, maxLength: 1024, autocomplete: 'new-password',
      submit: async (password) => {
        await api('PUT', '/api/users/' + encodeURIComponent(u.username) + '/password', { password });
        return 'Password of ' + u.username + ' changed; they are signed out everywhere and sign in with the new one.';
      }
    }));
    actions.append(roles, toggle, reset);
    tr.append(text('td', u.username), text('td', u.roles.join(', ')), text('td', u.disabled ? 'disabled' : 'active'), actions);
    return tr;
  });
}

async function loadBrands() {
  const r = await api('GET', '/api/brands');
  renderList('brand-rows', r.items, (b) => {
    const tr = document.createElement('tr');
    tr.dataset.brand = b.handle;
    const rename = text('button', 'Rename');
    rename.type = 'button';
    rename.addEventListener('click', () => ask({
      title: 'Rename @' + b.handle, label: 'Name shown on the blog and status page', value: b.name, maxLength: 120,
      submit: async (name) => {
        await api('PATCH', '/api/brands/' + encodeURIComponent(b.handle), { name: name.trim() });
        await loadBrands();
        return '@' + b.handle + ' is now called ' + name.trim() + '.';
      }
    }));
    const actions = text('td', '');
    actions.append(rename);
    tr.append(text('td', '@' + b.handle), text('td', b.name), text('td', b.userId),
      text('td', b.canPost ? 'posts as @' + b.handle : 'not connected: no posting token'), actions);
    return tr;
  });
  const select = $('new-keyword-brand');
  const chosen = select.value;
  select.replaceChildren(...r.items.map((b) => { const o = text('option', '@' + b.handle); o.value = b.handle; return o; }));
  if (chosen) select.value = chosen;
}

async function loadBackups() {
  const b = await api('GET', '/api/admin/backups');
  $('backup-now').disabled = !b.embedded;
  if (!b.embedded) $('backup-info').textContent = 'CareLoop runs on a real MongoDB: back it up with mongodump or its own snapshots.';
  renderList('backup-rows', b.items, (item) => {
    const tr = document.createElement('tr');
    tr.append(text('td', item.name), text('td', (item.bytes / 1048576).toFixed(1) + ' MiB'), text('td', new Date(item.at).toLocaleString()));
    return tr;
  });
  $('backups-empty').hidden = !b.embedded || b.items.length > 0;
}

async function backUpNow() {
  $('backup-now').disabled = true;
  $('admin-message').textContent = 'Backing up…';
  try {
    const b = await api('POST', '/api/admin/backups');
    $('admin-message').textContent = 'Backup ' + b.name + ' taken and verified: ' + b.documents + ' documents in ' + b.tookMillis + ' ms.';
  } catch (e) {
    $('admin-message').textContent = e.message;
  }
  $('backup-now').disabled = false;
  await loadBackups().catch(showError);
}

async function loadNodes() {
  const c = await api('GET', '/api/admin/cluster');
  renderList('node-rows', c.nodes, (n) => {
    const tr = document.createElement('tr');
    tr.dataset.node = n.id;
    const holds = c.leases.filter((l) => l.holder === n.id)
      .map((l) => l.name + ' (token ' + l.token + ', ' + Math.round(l.heldForMs / 1000) + ' s)');
    tr.append(text('td', n.id + (n.self ? ' (serving this console)' : '')), text('td', n.alive ? 'alive' : 'stopped'),
      text('td', n.seenAgoMs == null ? '' : (n.seenAgoMs / 1000).toFixed(1) + ' s ago'), text('td', holds.join(', ') || 'nothing'));
    return tr;
  });
}

// A refusal is shown next to the field it names in {@code form} (and on the dialog's message line).
async function adminDo(method, path, body, form) {
  const box = form || $('admin-dialog');
  clearFieldErrors(box);
  try {
    await api(method, path, body);
    $('admin-message').textContent = 'Done.';
  } catch (e) {
    showFieldError(box, $('admin-message'), e);
    throw e;
  }
  await Promise.all([loadUsers(), loadBrands(), loadSources(), loadNodes()]).catch(report('reload the administration lists'));
}

async function loadAudit(e) {
  if (e) e.preventDefault();
  const action = $('audit-action').value;
  const r = await api('GET', '/api/audit?limit=100' + (action ? '&action=' + encodeURIComponent(action) : ''));
  renderList('audit-rows', r.items, (a) => {
    const tr = document.createElement('tr');
    tr.append(text('td', a.at.replace('T', ' ').substring(0, 19)), text('td', a.actor), text('td', a.action), text('td', a.target));
    return tr;
  });
  $('audit-empty').hidden = r.items.length > 0;
  $('audit-empty').textContent = action
    ? 'No ' + action + ' entries yet: one is recorded here each time someone does that.'
    : 'Nothing audited yet: replies, dismissals, publications, policy, user and source changes are recorded here as they happen.';
}

export function wireAdmin() {
  $('admin-open').addEventListener('click', () => {
    $('admin-message').textContent = '';
    loadUsers().catch(showError); loadBrands().catch(showError); loadNodes().catch(showError); loadBackups().catch(showError);
    $('admin-dialog').showModal();
  });
  $('backup-now').addEventListener('click', () => backUpNow());
  $('admin-close').addEventListener('click', () => $('admin-dialog').close());
  $('user-form').addEventListener('submit', (e) => {
    e.preventDefault();
    adminDo('POST', '/api/users', { username: $('new-username').value.trim(), password: $('new-password').value, roles: [$('new-role').value] }, $('user-form'))
      .then(() => { $('new-password').value = ''; }, () => 'shown next to the field');
  });
  $('source-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const brand = $('new-keyword-brand').value;
    adminDo('POST', '/api/sources/keywords', brand ? { keyword: $('new-keyword').value.trim(), brand } : { keyword: $('new-keyword').value.trim() }, $('source-form'))
      .then(() => { $('new-keyword').value = ''; }, () => 'shown next to the field');
  });
  $('brand-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { handle: $('new-brand-handle').value.trim(), userId: $('new-brand-user').value.trim() };
    if ($('new-brand-name').value.trim()) body.name = $('new-brand-name').value.trim();
    adminDo('POST', '/api/brands', body, $('brand-form'))
      .then(() => { for (const id of ['new-brand-handle', 'new-brand-user', 'new-brand-name']) $(id).value = ''; }, () => 'shown next to the field');
  });
  $('audit-open').addEventListener('click', () => { loadAudit().catch(showError); $('audit-dialog').showModal(); });
  $('audit-form').addEventListener('submit', (e) => loadAudit(e).catch(showError));
  $('audit-close').addEventListener('click', () => $('audit-dialog').close());
}
