// The page: submits a job, follows its events live, retries failed items, downloads the CSV, lists recent jobs.
// It talks only to this service's public API (/api/v1) and needs no build step. It holds no provider key; where
// the service requires callers to name themselves, it asks for the caller's own API key (api.js keeps it).
import { api, credential, forget, onUnauthorized, remember } from './api.js';
import { readEvents } from './events.js';
import { InputError, parseItems, taxonomyOf } from './items.js';

const API = '/api/v1/jobs';
const FINISHED = ['completed', 'failed', 'cancelled'];
const RECENT = 10;
const JSON_BODY = { 'Content-Type': 'application/json' };
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
  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    useKey();
  });
  $('forget-key').addEventListener('click', forgetKey);
  onUnauthorized(askForKey);
  showSignedIn();
  window.addEventListener('hashchange', openFromHash);
  showTaxonomyFields();
  loadRecent();
  openFromHash();
});

// ---- the caller's key ---------------------------------------------------------------------------------------

/** The service answered 401: it wants a key, or did not accept the one this tab holds. */
function askForKey(hadKey) {
  if (hadKey) {
    forget();
  }
  $('key-message').textContent = hadKey ? 'The service did not accept that key. Enter another.'
    : 'This service needs your API key (or bearer token) to show and run your jobs.';
  $('key-form').hidden = false;
  showSignedIn();
}

function useKey() {
  const value = $('api-key').value.trim();
  if (!value) {
    $('key-message').textContent = 'Enter the API key your service was given.';
    return;
  }
  remember(value);
  $('api-key').value = '';
  $('key-form').hidden = true;
  showSignedIn();
  reload();
}

/** Drops the key and everything shown with it: what was listed belongs to that caller. */
function forgetKey() {
  forget();
  showSignedIn();
  leaveJob();
  $('recent').replaceChildren();
  $('taxonomy-names').replaceChildren();
  loadRecent();
}

function showSignedIn() {
  $('signed-in').hidden = credential() === null;
}

/** After a new key: what the page shows is read again, as that caller. */
function reload() {
  leaveJob();
  loadRecent();
  if (document.querySelector('input[name="taxonomy"]:checked').value === 'named') {
    loadTaxonomyNames();
  }
  openFromHash();
}

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
    const response = await api(API, { method: 'POST', headers: JSON_BODY, body: JSON.stringify(body) });
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
  const response = await api('/api/v1/taxonomies');
  if (!response.ok) {
    return;
  }
  const listing = await response.json();
  $('taxonomy-names').replaceChildren(...listing.taxonomies.map((taxonomy) => {
    const option = document.createElement('option');
    option.value = taxonomy.name;
    // a taxonomy a PUT answered 202 for is listed while it is prepared; requests may name it once it is ready
    const status = taxonomy.status === 'ready' ? '' : ` (${taxonomy.status}: not usable yet)`;
    option.label = `${taxonomy.categories.length} categories, ${taxonomy.examples} examples${status}`;
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

/** Stops following the job on screen and hides it. */
function leaveJob() {
  if (job) {
    job.stream?.abort();
    clearTimeout(job.reconnect);
  }
  job = null;
  $('job').hidden = true;
}

async function open(id) {
  leaveJob();
  const current = { id, lastEventId: 0, rows: new Map(), itemCost: 0, statusCost: 0, stream: null, reconnect: null, backoff: 500 };
  job = current;
  $('results').replaceChildren();
  $('job').hidden = false;
  $('job-title').textContent = 'Job ' + id;
  showError('job-error', null);
  const response = await api(`${API}/${encodeURIComponent(id)}`);
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
 * Follows the job's events from the last one seen, until the stream ends after the job has finished. When the
 * connection drops or the service refuses for a while (a 503 while it restarts), this connects again after a
 * growing pause, resuming with ?last_event_id; a 4xx (the job is gone, or not this caller's) ends the following.
 */
async function follow() {
  const current = job;
  const stream = new AbortController();
  current.stream = stream;
  const after = current.lastEventId ? `?last_event_id=${current.lastEventId}` : '';
  let finished = false;
  try {
    const response = await api(`${API}/${encodeURIComponent(current.id)}/events${after}`,
      { headers: { Accept: 'text/event-stream' }, signal: stream.signal });
    if (response.ok) {
      await readEvents(response, (event) => { finished = showEvent(current, event) || finished; });
    } else if (response.status < 500 && response.status !== 429) {
      if (job === current) {
        showError('job-error', await problemText(response));
      }
      return;
    }
  } catch {
    // the connection broke, or this page let go of it (then the signal says so)
  }
  if (!finished && !stream.signal.aborted && job === current) {
    current.reconnect = setTimeout(follow, current.backoff);
    current.backoff = Math.min(current.backoff * 2, 10000);
  }
}

/** Shows one of the job's events; true when it says the job has finished. */
function showEvent(current, event) {
  if (job !== current) {
    return true;
  }
  const data = JSON.parse(event.data);
  if (event.type === 'item') {
    current.lastEventId = Number(event.id);
    current.backoff = 500;
    showResult(data);
  } else if (event.type === 'progress') {
    showProgress(data);
  } else if (event.type === 'status') {
    showStatus(data);
    if (FINISHED.includes(data.status)) {
      loadRecent();
      return true;
    }
  }
  return false;
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
  row.dataset.review = String(result.review === true);
  row.className = 'status-' + result.status + (result.review ? ' review' : '');
  const error = result.error ? `${result.error.code}: ${result.error.message}` : '';
  const cells = [result.index + 1, result.id ?? '', result.status, '',
    result.confidence == null ? '' : Math.round(result.confidence * 100) + ' %', check(result), money(cost), error]
    .map((text) => cell(text));
  cells[3].replaceChildren(...categoryView(result.category, result.candidates));
  row.replaceChildren(...cells);
  showCost();
}

/** Whether to look at a result, and the service's calibrated chance that it is right where it has one. */
function check(result) {
  if (result.status !== 'ok') {
    return '';
  }
  const chance = result.chance == null ? '' : ` (${Math.round(result.chance * 100)} % sure)`;
  return (result.review ? 'review' : 'ok') + chance;
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
  $('review').textContent = view.counts.review ?? 0;
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
  const response = await api(`${API}/${encodeURIComponent(current.id)}/retry`, { method: 'POST' });
  if (!response.ok) {
    showError('job-error', await problemText(response));
    return;
  }
  showError('job-error', null);
  showStatus(await response.json());
  current.stream?.abort();
  clearTimeout(current.reconnect);
  follow();
}

async function downloadCsv() {
  const response = await api(`${API}/${encodeURIComponent(job.id)}/results`, { headers: { Accept: 'text/csv' } });
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
  const response = await api(`${API}?limit=${RECENT}`);
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
