// The service-level book a lead edits: policies (which cases, which targets) and business hours.
import { $, api, text, list, notice, showFieldError, clearFieldErrors, showError } from './core.js';

const PRIORITIES = ['urgent', 'high', 'normal', 'low'];
const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

function field(labelText, input) {
  const label = text('label', labelText);
  const id = 'f' + Math.random().toString(36).slice(2);
  input.id = id;
  label.htmlFor = id;
  return [label, input];
}

function input(type, value, attrs) {
  const el = document.createElement('input');
  el.type = type;
  if (type === 'checkbox') el.checked = !!value; else el.value = value == null ? '' : String(value);
  Object.assign(el, attrs || {});
  return el;
}

function row(...children) {
  const div = document.createElement('div');
  div.className = 'row';
  div.append(...children.flat());
  return div;
}

// One fieldset per policy; read back by readPolicy.
function policyEditor(p) {
  const fs = document.createElement('fieldset');
  fs.className = 'policy';
  fs.append(text('legend', p.name || p.id));
  const when = p.when || {};
  fs.append(row(field('Id', input('text', p.id, { className: 'p-id', maxLength: 40 })), field('Name', input('text', p.name, { className: 'p-name', maxLength: 120 }))));
  fs.append(row(text('span', 'Applies to priorities (none ticked = all):'),
    ...PRIORITIES.map((pr) => field(pr, input('checkbox', (when.priorities || []).includes(pr), { className: 'p-prio', value: pr })))));
  fs.append(row(field('Keywords (comma-separated)', input('text', (when.keywords || []).join(', '), { className: 'p-keywords' })),
    field('Min. followers', input('number', when.minFollowers || 0, { className: 'p-followers', min: 0 }))));
  fs.append(row(field('Sources (comma-separated ids)', input('text', (when.sources || []).join(', '), { className: 'p-sources' }))));
  for (const [key, title] of [['firstResponseMinutes', 'First response (min)'], ['nextResponseMinutes', 'Next response (min)']]) {
    fs.append(row(text('span', title + ':'), ...PRIORITIES.map((pr) => field(pr, input('number', p[key][pr], { className: 'p-' + key + '-' + pr, min: 1 })))));
  }
  fs.append(row(field('Business hours only', input('checkbox', p.businessHours, { className: 'p-business' })),
    field('Warn at (% of target)', input('number', Math.round((p.warnShare || 0.75) * 100), { className: 'p-warn', min: 1, max: 99 })),
    field('Escalate on breach', input('checkbox', p.escalateOnBreach, { className: 'p-escalate' }))));
  const up = text('button', 'Move up'); up.type = 'button';
  const remove = text('button', 'Remove'); remove.type = 'button';
  up.addEventListener('click', () => { if (fs.previousElementSibling) fs.parentNode.insertBefore(fs, fs.previousElementSibling); });
  remove.addEventListener('click', () => fs.remove());
  fs.append(row(up, remove));
  return fs;
}


function readPolicy(fs) {
  const q = (cls) => fs.querySelector('.' + cls);
  const targets = (key) => Object.fromEntries(PRIORITIES.map((pr) => [pr, Number(q('p-' + key + '-' + pr).value)]));
  return {
    id: q('p-id').value.trim(), name: q('p-name').value.trim(),
    when: {
      priorities: [...fs.querySelectorAll('.p-prio')].filter((c) => c.checked).map((c) => c.value),
      keywords: list(q('p-keywords').value), sources: list(q('p-sources').value), minFollowers: Number(q('p-followers').value || 0)
    },
    firstResponseMinutes: targets('firstResponseMinutes'), nextResponseMinutes: targets('nextResponseMinutes'),
    businessHours: q('p-business').checked, warnShare: Number(q('p-warn').value) / 100, escalateOnBreach: q('p-escalate').checked
  };
}

function showBook(book) {
  $('sla-policies').replaceChildren(...book.policies.map(policyEditor));
  $('sla-zone').value = book.hours.zone;
  $('sla-days').replaceChildren(...DAYS.map((d) => {
    const windows = (book.hours.weekly[d] || []).map((w) => w[0] + '-' + w[1]).join(', ');
    return row(field(d.charAt(0) + d.slice(1).toLowerCase(), input('text', windows, { className: 'd-' + d, placeholder: 'closed' })));
  }));
  $('sla-holidays').value = (book.hours.holidays || []).join('\n');
}

function readBook() {
  const weekly = {};
  for (const d of DAYS) {
    const windows = list(document.querySelector('.d-' + d).value).map((w) => w.split('-').map((x) => x.trim()));
    if (windows.length) weekly[d] = windows;
  }
  return {
    policies: [...document.querySelectorAll('#sla-policies fieldset.policy')].map(readPolicy),
    hours: { zone: $('sla-zone').value.trim(), weekly, holidays: $('sla-holidays').value.split(/\s+/).filter(Boolean) }
  };
}

async function openSla() {
  $('sla-error').textContent = '';
  showBook(await api('GET', '/api/sla'));
  $('sla-dialog').showModal();
}

function addPolicy() {
  const first = readPolicy(document.querySelector('#sla-policies fieldset.policy'));
  $('sla-policies').prepend(policyEditor({ ...first, id: 'policy-' + ($('sla-policies').children.length + 1), name: 'New policy' }));
}

/**
 * The editor's input for a place in the book ({@code /hours/weekly/MONDAY/0/1}, {@code /policies/2/firstResponseMinutes/urgent}),
 * so a refusal is shown next to what the lead typed, not as a schema message at the bottom.
 */
function slaField(pointer) {
  const [, top, a, b, c] = pointer.split('/');
  if (top === 'hours') {
    if (a === 'zone') return $('sla-zone');
    if (a === 'holidays') return $('sla-holidays');
    if (a === 'weekly' && b) return document.querySelector('#sla-days .d-' + CSS.escape(b));
    return $('sla-zone');
  }
  if (top === 'policies') {
    const fs = document.querySelectorAll('#sla-policies fieldset.policy')[Number(a)];
    if (!fs) return null;
    const cls = { id: 'p-id', name: 'p-name', businessHours: 'p-business', warnShare: 'p-warn', escalateOnBreach: 'p-escalate' }[b]
      || ((b === 'firstResponseMinutes' || b === 'nextResponseMinutes') && c ? 'p-' + b + '-' + c : null)
      || (b === 'when' ? { keywords: 'p-keywords', sources: 'p-sources', minFollowers: 'p-followers', priorities: 'p-prio' }[c] : null);
    return cls ? fs.querySelector('.' + cls) : fs.querySelector('.p-id');
  }
  return null;
}

// The schema says "String does not match pattern"; a lead needs to know what the field takes.
function inWords(e) {
  const pointer = e.body && e.body.field;
  const m = pointer && /^\/hours\/weekly\/([A-Z]+)\//.exec(pointer);
  if (!m) return e;
  const day = m[1].charAt(0) + m[1].slice(1).toLowerCase();
  const was = /\(was ("[^"]*")\)$/.exec(e.message);
  const said = new Error(day + ': opening hours are times from-to in 24-hour HH:MM, comma-separated, e.g. 09:00-12:00, 13:00-17:30'
    + (was ? '; ' + was[1] + ' is not such a time.' : '.'));
  said.body = e.body;
  return said;
}

async function saveSla() {
  clearFieldErrors($('sla-dialog'));
  try {
    showBook(await api('PUT', '/api/sla', readBook()));
    $('sla-error').textContent = '';
    notice('Service levels saved; they apply to deadlines set from now on.');
  } catch (e) {
    showFieldError($('sla-dialog'), $('sla-error'), inWords(e), slaField);
  }
}

export function wireSla() {
  $('sla-open').addEventListener('click', () => openSla().catch(showError));
  $('sla-save').addEventListener('click', saveSla);
  $('sla-add').addEventListener('click', addPolicy);
  $('sla-close').addEventListener('click', () => $('sla-dialog').close());
}
