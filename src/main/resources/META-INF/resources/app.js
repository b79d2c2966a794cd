// The page: submits a job, follows its events live, retries failed items, downloads the CSV, lists recent jobs.
// It talks only to this service's public API (/api/v1), so it holds no key and needs no build step.
import { InputError, parseItems, taxonomyOf } from './items.js';

const API = '/api/v1/jobs';
const FINISHED = ['completed', 'failed', 'cancelled'];
const RECENT = 10;
const $ = (id) => document.getElementById(id);

/** The job on screen; replaced as a whole when another job is opened. */
let job = null;

document.addEventListener('DOMContentLoaded', () => {
  $('job-form').addEventListener('submit', (event) => {
    event.preventDefault();
    start();
  });
  $('items-file').addEventListener('change', readFile);
  document.querySelectorAll('input[name="taxonomy"]').forEach((radio) => radio.addEventListener('change', showTaxonomyFields));
  $('retry').addEventListener('click', retryFailed);
  $('download').addEventListener('click', downloadCsv);
  window.addEventListener('hashchange', openFromHash);
  showTaxonomyFields();
  loadRecent();
  openFromHash();
});

// ---- starting a job ---------------------------------------------------------------------------------------

async function start() {
  showError('input-error', null);
  let body;
  try {
    body = request();
  } catch (e) {
    if (e instanceof InputError) {
      showError('input-error', e.message);
      $('items').focus();
      return;
    }
    throw e;
  }
  $('job-form').querySelector('button[type="submit"]').disabled = true;
  try {
    const response = await fetch(API, { method: 'POST', headers: jsonHeaders(), body: JSON.stringify(body) });
    if (!response.ok) {
      showError('input-error', await problemText(response));
      return;
    }
    const view = await response.json();
    location.hash = 'job=' + view.id;
    loadRecent();
  } catch (e) {
    showError('input-error', 'The service could not be reached: ' + e.message);
  } finally {
    $('job-form').querySelector('button[type="submit"]').disabled = false;
  }
}

function request() {
  const body = { items: parseItems($('items').value) };
  const choice = document.querySelector('input[name="taxonomy"]:checked').value;
  const taxonomy = taxonomyOf(choice, $('taxonomy-name').value, $('taxonomy-list').value);
  if (taxonomy !== undefined) {
    body.taxonomy = taxonomy;
  }
  if ($('classifier').value) {
    body.classifier = $('classifier').value;
  }
  if (Number($('pack').value) > 1) {
    body.pack = Number($('pack').value);
  }
  if ($('explain').checked) {
    body.explain = true;
  }
  return body;
}

async function readFile() {
  const file = $('items-file').files[0];
  if (file) {
    $('items').value = await file.text();
  }
}

function showTaxonomyFields() {
  const choice = document.querySelector('input[name="taxonomy"]:checked').value;
  if (choice === 'named') {
    loadTaxonomyNames();
  }
  document.querySelectorAll('.when-named').forEach((el) => { el.hidden = choice !== 'named'; });
  document.querySelectorAll('.when-list').forEach((el) => { el.hidden = choice !== 'list'; });
}

/** Offers the stored taxonomies' names as suggestions; typing another name still works (the service checks it). */
async function loadTaxonomyNames() {
  const response = await fetch('/api/v1/taxonomies', { headers: jsonHeaders() });
  if (!response.ok) {
    return;
  }
  const listing = await response.json();
  $('taxonomy-names').replaceChildren(...listing.taxonomies.map((taxonomy) => {
    const option = document.createElement('option');
    option.value = taxonomy.name;
    option.label = `${taxonomy.categories.length} categories, ${taxonomy.examples} examples`;
    return option;
  }));
}

// ---- following a job --------------------------------------------------------------------------------------

function openFromHash() {
  const id = new URLSearchParams(location.hash.slice(1)).get('job');
  if (id && (!job || job.id !== id)) {
    open(id);
  }
}

async function open(id) {
  if (job) {
    job.source?.close();
    clearTimeout(job.reconnect);
  }
  const current = { id, lastEventId: 0, rows: new Map(), itemCost: 0, statusCost: 0, source: null, reconnect: null, backoff: 500 };
  job = current;
  $('results').replaceChildren();
  $('job').hidden = false;
  $('job-title').textContent = 'Job ' + id;
  showError('job-error', null);
  const response = await fetch(`${API}/${encodeURIComponent(id)}`, { headers: jsonHeaders() });
  if (job !== current) {
    return; // another job was opened meanwhile
  }
  if (!response.ok) {
    showError('job-error', await problemText(response));
    return;
  }
  showStatus(await response.json());
  follow();
}

/**
 * Follows the job's events from the last one seen. The browser's EventSource reconnects by itself after a
 * dropped connection, sending Last-Event-ID; when the server refuses outright (a 503 while it restarts) the
 * source closes, and this opens a new one after a growing pause, resuming with ?last_event_id.
 */
function follow() {
  const current = job;
  const after = current.lastEventId ? `?last_event_id=${current.lastEventId}` : '';
  const source = new EventSource(`${API}/${encodeURIComponent(current.id)}/events${after}`);
  current.source = source;
  source.addEventListener('item', (e) => {
    current.lastEventId = Number(e.lastEventId);
    current.backoff = 500;
    showResult(JSON.parse(e.data));
  });
  source.addEventListener('progress', (e) => showProgress(JSON.parse(e.data)));
  source.addEventListener('status', (e) => {
    const view = JSON.parse(e.data);
    showStatus(view);
    if (FINISHED.includes(view.status)) {
      source.close();
      loadRecent();
    }
  });
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED && job === current) {
      current.reconnect = setTimeout(follow, current.backoff);
      current.backoff = Math.min(current.backoff * 2, 10000);
    }
  });
}

function showResult(result) {
  let row = job.rows.get(result.index);
  if (!row) {
    row = document.createElement('tr');
    row.dataset.testid = 'result-row';
    job.rows.set(result.index, row);
    $('results').appendChild(row);
  }
  const cost = result.usage?.cost_usd ?? 0;
  job.itemCost += cost;
  row.dataset.status = result.status;
  row.className = 'status-' + result.status;
  const error = result.error ? `${result.error.code}: ${result.error.message}` : '';
  const cells = [result.index + 1, result.id ?? '', result.status, '',
    result.confidence == null ? '' : Math.round(result.confidence * 100) + ' %', money(cost), error]
    .map((text) => cell(text));
  cells[3].replaceChildren(...categoryView(result.category, result.candidates));
  row.replaceChildren(...cells);
  showCost();
}

function showProgress(progress) {
  const bar = $('progress');
  bar.max = Math.max(progress.total, 1);
  bar.value = progress.done;
  const percent = progress.total === 0 ? 100 : Math.floor((progress.done * 100) / progress.total);
  bar.textContent = percent + ' %';
  $('percent').textContent = percent + ' %';
  $('done').textContent = `${progress.done} / ${progress.total}`;
  $('failed').textContent = progress.failed;
  $('rate').textContent = progress.items_per_second ? progress.items_per_second.toFixed(1) : '–';
  $('eta').textContent = duration(progress.eta_seconds);
}

function showStatus(view) {
  const done = view.total - view.counts.queued;
  showProgress({ done, total: view.total, failed: view.counts.failed,
    items_per_second: view.items_per_second, eta_seconds: view.eta_seconds });
  $('status').textContent = view.status + (view.stop_reason ? ` (${view.stop_reason.replaceAll('_', ' ')})` : '');
  $('job').dataset.status = view.status;
  job.statusCost = view.cost_usd;
  showCost();
  const finished = FINISHED.includes(view.status);
  $('retry').disabled = !(finished && view.counts.failed > 0);
  $('download').disabled = false;
}

function showCost() {
  // the job's own figure when it last reported, or more if item events have come in since
  $('cost').textContent = money(Math.max(job.statusCost, job.itemCost));
}

// ---- retry, download, recent jobs -------------------------------------------------------------------------

async function retryFailed() {
  const current = job;
  $('retry').disabled = true;
  const response = await fetch(`${API}/${encodeURIComponent(current.id)}/retry`, { method: 'POST', headers: jsonHeaders() });
  if (!response.ok) {
    showError('job-error', await problemText(response));
    return;
  }
  showError('job-error', null);
  showStatus(await response.json());
  current.source?.close();
  follow();
}

async function downloadCsv() {
  const response = await fetch(`${API}/${encodeURIComponent(job.id)}/results`, { headers: { Accept: 'text/csv' } });
  if (!response.ok) {
    showError('job-error', await problemText(response));
    return;
  }
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = `job-${job.id}.csv`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
}

async function loadRecent() {
  const response = await fetch(`${API}?limit=${RECENT}`, { headers: jsonHeaders() });
  if (!response.ok) {
    return;
  }
  const page = await response.json();
  $('recent').replaceChildren(...page.items.map((view) => {
    const link = document.createElement('a');
    link.href = '#job=' + view.id;
    link.dataset.testid = 'recent-job';
    link.textContent = `${new Date(view.created_at).toLocaleString()} · ${view.status} · ${view.total} items · ${money(view.cost_usd)}`;
    const entry = document.createElement('li');
    entry.appendChild(link);
    return entry;
  }));
}

// ---- small helpers ----------------------------------------------------------------------------------------

function jsonHeaders() {
  return { 'Content-Type': 'application/json', Accept: 'application/json' };
}

/** An RFC 9457 problem as one readable line: the detail, then each field's message. */
async function problemText(response) {
  try {
    const problem = await response.json();
    const fields = (problem.errors ?? []).map((e) => `${e.field}: ${e.message}`);
    return [problem.detail ?? problem.title ?? `HTTP ${response.status}`, ...fields].join(' — ');
  } catch {
    return `The service answered HTTP ${response.status}.`;
  }
}

function showError(id, message) {
  $(id).hidden = !message;
  $(id).textContent = message ?? '';
}

/**
 * A category as its path reads: the ancestors muted, the category itself in bold, so a full path such as
 * "Furniture > Chairs > Table & Bar Stools" reads at a glance. With candidates, a disclosure lists what the
 * model chose from, best first, with their scores.
 */
function categoryView(category, candidates) {
  const parts = [];
  if (category) {
    parts.push(pathView(category));
  }
  if (candidates?.length) {
    const details = document.createElement('details');
    details.dataset.testid = 'candidates';
    const summary = document.createElement('summary');
    summary.textContent = `${candidates.length} candidates`;
    const list = document.createElement('ol');
    list.append(...candidates.map((candidate) => {
      const item = document.createElement('li');
      item.append(pathView(candidate.category), ` ${(candidate.score * 100).toFixed(1)} %`);
      if (candidate.category === category) {
        item.className = 'chosen';
      }
      return item;
    }));
    details.append(summary, list);
    parts.push(details);
  }
  return parts;
}

function pathView(path) {
  const span = document.createElement('span');
  span.className = 'path';
  span.title = path;
  const steps = path.split(' > ');
  steps.forEach((step, i) => {
    const part = document.createElement(i === steps.length - 1 ? 'strong' : 'span');
    part.textContent = step;
    if (i > 0) {
      span.append(' › ');
    }
    span.append(part);
  });
  return span;
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = String(text);
  return td;
}

/** Dollars with the digits that matter: one item often costs a few millionths. */
function money(usd) {
  const value = usd ?? 0;
  return '$' + value.toFixed(value >= 1 ? 2 : value >= 0.01 || value === 0 ? 4 : 6);
}

function duration(seconds) {
  if (seconds == null) {
    return '–';
  }
  if (seconds < 60) {
    return Math.ceil(seconds) + ' s';
  }
  return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
}
