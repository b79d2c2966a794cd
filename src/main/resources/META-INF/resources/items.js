// Turns what a person pastes or uploads into the items of a job request, or a message saying what is wrong.
// Pure functions: no DOM, so the rules are easy to read in one place.

export const COLUMNS = ['id', 'name', 'description', 'image_url'];
const MAX_ITEMS = 100000;

export class InputError extends Error {}

/** CSV (with a header row) or JSON (an array of items, or {"items": [...]}), told apart by the first character. */
export function parseItems(text) {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) {
    throw new InputError('Paste items or choose a file first.');
  }
  const items = trimmed.startsWith('[') || trimmed.startsWith('{') ? fromJson(trimmed) : fromCsv(trimmed);
  if (items.length === 0) {
    throw new InputError('There are no items: the input has a header but no rows.');
  }
  if (items.length > MAX_ITEMS) {
    throw new InputError(`A job takes at most ${MAX_ITEMS.toLocaleString('en')} items; this has ${items.length.toLocaleString('en')}.`);
  }
  return items;
}

function fromJson(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new InputError(`This is not valid JSON: ${e.message}`);
  }
  const items = Array.isArray(parsed) ? parsed : parsed.items;
  if (!Array.isArray(items)) {
    throw new InputError('JSON must be an array of items, or an object with an "items" array.');
  }
  items.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new InputError(`Item ${i + 1} is not an object.`);
    }
  });
  return items;
}

function fromCsv(text) {
  const rows = csvRows(text);
  const header = rows[0].map((name) => name.trim().toLowerCase());
  const missing = COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new InputError(`The CSV header is missing the column${missing.length > 1 ? 's' : ''} `
      + `${missing.join(', ')}. Expected: ${COLUMNS.join(',')}.`);
  }
  const at = Object.fromEntries(COLUMNS.map((column) => [column, header.indexOf(column)]));
  return rows.slice(1)
    .map((fields, i) => ({ fields, line: i + 2 }))
    .filter(({ fields }) => fields.some((field) => field.trim() !== ''))
    .map(({ fields, line }) => {
      if (fields.length !== header.length) {
        throw new InputError(`CSV line ${line} has ${fields.length} fields; the header has ${header.length}.`);
      }
      return item(fields, at);
    });
}

function item(fields, at) {
  const result = {};
  for (const column of COLUMNS) {
    const value = fields[at[column]].trim();
    if (value !== '') {
      result[column] = value;
    }
  }
  return result;
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF ends a row. */
export function csvRows(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') {
        i++;
      }
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (quoted) {
    throw new InputError('The CSV has a quoted field that is never closed.');
  }
  row.push(field);
  rows.push(row);
  return rows;
}

/** The taxonomy part of a job request, or undefined for the service's default. */
export function taxonomyOf(choice, name, list) {
  if (choice === 'named') {
    if (!name.trim()) {
      throw new InputError('Enter the name of a taxonomy, or choose another option.');
    }
    return name.trim();
  }
  if (choice === 'list') {
    const categories = list.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
    if (categories.length < 2) {
      throw new InputError('A pasted taxonomy needs at least two categories, one per line.');
    }
    return categories;
  }
  return undefined;
}
