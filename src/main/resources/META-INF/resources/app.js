// The page: submits a job (pasted items, or a CSV/XLSX file uploaded as it is), follows its events live with pictures
// of its pace, its categories and how sure its answers are, retries failed items, downloads CSV or XLSX, lists recent jobs.
// It talks only to this service's public API (/api/v1) and needs no build step. It holds no provider key; where
// the service requires callers to name themselves, it asks for the caller's own API key (api.js keeps it).
import { api, credential, forget, onUnauthorized, remember } from './api.js';
import { readEvents } from './events.js';
import { InputError, readInput, taxonomyOf } from './items.js';
import { clearJobCharts, drawCascade, drawCategories, drawPace, drawSureness } from './charts.js';

const API = '/api/v1/jobs';
const FINISHED = ['completed', 'failed', 'cancelled'];
const RECENT = 10;
const JSON_BODY = { 'Content-Type': 'application/json' };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** How often the pictures of a running job are read again from the service. */
const BREAKDOWN_EVERY_MS = 2000;
const $ = (id) => document.getElementById(id);

/** The job on screen; replaced as a whole when another job is opened. */
let job = null;
/** A CSV or XLSX file chosen for upload, sent as it is; null when the items are pasted. */
let upload = null;

document.addEventListener('DOMContentLoaded', () => {
  $('job-form').addEventListener('submit', (event) => {
    event.preventDefault();
    start();
  });
  $('items-file').addEventListener('change', readFile);
  document.querySelectorAll('input[name="taxonomy"]').forEach((radio) => radio.addEventListener('change', showTaxonomyFields));
  $('retry').addEventListener('click', retryFailed);
  $('download').addEventListener('click', () => download('text/csv', 'csv'));
  $('download-xlsx').addEventListener('click', () => download(XLSX, 'xlsx'));
  $('show-review').addEventListener('click', toggleReviewOnly);
  $('taxonomy-name').addEventListener('change', loadCascade);
  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    useKey();
  });
  $('forget-key').addEventListener('click', forgetKey);
  onUnauthorized(askForKey);
  showSignedIn();
  window.addEventListener('hashchange', openFromHash);
  showTaxonomyFields();
  offerWhatIsServed();
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
  let sent;
  try {
    sent = request();
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
    const response = await api(API, sent);
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

/** The fetch options of the job request: JSON items as JSON, a file (or pasted CSV) as a multipart upload. */
function request() {
  const options = jobOptions();
  const input = upload ? { file: upload } : readInput($('items').value);
  if (input.items) {
    return { method: 'POST', headers: JSON_BODY, body: JSON.stringify({ ...options, items: input.items }) };
  }
  const form = new FormData();
  form.append('file', input.file ?? new Blob([input.csv], { type: 'text/csv' }), input.file?.name ?? 'items.csv');
  form.append('options', new Blob([JSON.stringify(options)], { type: 'application/json' }));
  return { method: 'POST', body: form };
}

function jobOptions() {
  const body = {};
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

/** A JSON file is read into the text box; a CSV or XLSX file is uploaded as it is when the job starts. */
async function readFile() {
  const file = $('items-file').files[0] ?? null;
  upload = file && !file.name.toLowerCase().endsWith('.json') ? file : null;
  $('items').disabled = upload !== null;
  $('file-note').hidden = upload === null;
  $('file-note').textContent = upload ? `${upload.name} (${Math.ceil(upload.size / 1024)} KB) is uploaded as it is` : '';
  if (file && !upload) {
    $('items').value = await file.text();
  }
}

/** Offers only the classifiers the service can serve: without a provider key, no LLM (it would answer 503). */
async function offerWhatIsServed() {
  const response = await api('/api/v1/providers');
  if (!response.ok) {
    return;
  }
  if ((await response.json()).providers.length === 0) {
    document.querySelectorAll('#classifier option[data-needs="llm"]').forEach((option) => option.remove());
  }
}

function showTaxonomyFields() {
  const choice = document.querySelector('input[name="taxonomy"]:checked').value;
  if (choice === 'named') {
    loadTaxonomyNames();
  }
  document.querySelectorAll('.when-named').forEach((el) => { el.hidden = choice !== 'named'; });
  if (choice === 'named') {
    loadCascade();
  }
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

/** The chosen stored taxonomy's cascade: the share it settles in-process, and the precision it promises. */
async function loadCascade() {
  const name = $('taxonomy-name').value.trim();
  $('cascade').hidden = true;
  if (!name) {
    return;
  }
  const response = await api(`/api/v1/taxonomies/${encodeURIComponent(name)}`);
  if (!response.ok || $('taxonomy-name').value.trim() !== name) {
    return;
  }
  const cascade = (await response.json()).cascade;
  if (!cascade) {
    return;
  }
  $('cascade').hidden = false;
  $('cascade-caption').textContent = cascadeText(name, cascade);
  drawCascade(cascade);
}

function cascadeText(name, c) {
  const precision = percent(c.precision);
  if (!c.calibrated || c.settled_share == null) {
    return `${name}: not calibrated yet (too few examples); precision asked ${precision}.`;
  }
  const estimate = c.estimated_precision == null ? ''
    : `, estimated ${percent(c.estimated_precision)} (95 % interval ${percent(c.estimated_precision_interval.low)}–`
      + `${percent(c.estimated_precision_interval.high)})`;
  return `${name}: settles ${percent(c.settled_share)} of items in-process at the precision promised, ${precision}${estimate}; `
    + `the rest go to the LLM. Calibrated on ${c.calibrated_on} examples.`;
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
    clearTimeout(job.breakdownTimer);
  }
  job = null;
  $('job').hidden = true;
}

async function open(id) {
  leaveJob();
  const current = { id, lastEventId: 0, rows: new Map(), itemCost: 0, statusCost: 0, stream: null, reconnect: null, backoff: 500,
    since: performance.now(), samples: [], breakdownAt: 0, breakdownTimer: null };
  job = current;
  $('results').replaceChildren();
  $('results').classList.remove('review-only');
  $('show-review').setAttribute('aria-pressed', 'false');
  clearJobCharts();
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
    sample(data.done, current.statusCost, data.items_per_second);
    readBreakdown(false);
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
  const cells = [result.index + 1, result.id ?? '', result.name ?? '', result.status, '',
    result.confidence == null ? '' : Math.round(result.confidence * 100) + ' %', check(result), money(cost), error]
    .map((text) => cell(text));
  cells[4].replaceChildren(...categoryView(result.category, result.candidates));
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

// ---- the job's pictures -----------------------------------------------------------------------------------

/** One point of the pace picture: items done and cost so far, at most one a second (the last always kept). */
function sample(done, cost, rate) {
  const seconds = Math.round((performance.now() - job.since) / 100) / 10;
  const last = job.samples.at(-1);
  const point = { seconds, done, cost: Math.max(cost ?? 0, job.itemCost) };
  if (last && seconds - last.seconds < 1) {
    job.samples[job.samples.length - 1] = point;
  } else {
    job.samples.push(point);
  }
  drawPace(job.samples);
  $('pace-text').textContent = `${done} items done${rate ? `, ${rate.toFixed(1)} items/s` : ''}, ${money(point.cost)} so far.`;
}

/** Reads the job's breakdown again, at most every two seconds while it runs, and once more when it has finished. */
function readBreakdown(finished) {
  const current = job;
  const wait = finished ? 0 : Math.max(0, current.breakdownAt + BREAKDOWN_EVERY_MS - performance.now());
  clearTimeout(current.breakdownTimer);
  current.breakdownTimer = setTimeout(async () => {
    current.breakdownAt = performance.now();
    const response = await api(`${API}/${encodeURIComponent(current.id)}/breakdown`);
    if (response.ok && job === current) {
      showBreakdown(await response.json());
    }
  }, wait);
}

function showBreakdown(breakdown) {
  const rows = drawCategories(breakdown);
  tableRows('categories-table', rows.map((row) => [row.label, row.items]));
  drawSureness(breakdown);
  tableRows('sureness-table', breakdown.sureness.map((bin) => [`${bin.from.toFixed(1)}–${bin.to.toFixed(1)}`, bin.items, bin.review]));
  const cut = breakdown.review_up_to == null ? '' : `, all at or below ${breakdown.review_up_to.toFixed(2)} sure`;
  $('sureness-text').textContent = `${breakdown.answered} answers, ${breakdown.review} marked for review${cut}.`;
  $('categories-caption').textContent = `Where the ${breakdown.answered} answered items went (${rows.length} bars)`;
  $('show-review').textContent = `${$('results').classList.contains('review-only') ? 'Show all results' : `Show only the ${breakdown.review} to review`}`;
  $('show-review').dataset.count = String(breakdown.review);
  $('show-review').disabled = breakdown.review === 0 && !$('results').classList.contains('review-only');
}

function tableRows(testId, rows) {
  document.querySelector(`[data-testid="${testId}"] tbody`).replaceChildren(...rows.map((values) => {
    const tr = document.createElement('tr');
    tr.append(...values.map((value) => cell(value)));
    return tr;
  }));
}

/** Shows only the results marked for review, or all again. */
function toggleReviewOnly() {
  const only = $('results').classList.toggle('review-only');
  $('show-review').setAttribute('aria-pressed', String(only));
  $('show-review').textContent = only ? 'Show all results' : `Show only the ${$('show-review').dataset.count} to review`;
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
  $('download-xlsx').disabled = false;
  sample(done, view.cost_usd, view.items_per_second);
  readBreakdown(finished);
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

/** Saves the results as a file: the input's columns, then what the service found. */
async function download(type, extension) {
  const response = await api(`${API}/${encodeURIComponent(job.id)}/results`, { headers: { Accept: type } });
  if (!response.ok) {
    showError('job-error', await problemText(response));
    return;
  }
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = `job-${job.id}.${extension}`;
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

function percent(share) {
  return `${Math.round(share * 1000) / 10} %`;
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
