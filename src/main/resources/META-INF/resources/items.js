// Turns what a person pastes or uploads into the body of a job request, or a message saying what is wrong.
// Pure functions: no DOM, so the rules are easy to read in one place. CSV and XLSX are read by the service itself
// (one reader for the API and the page): pasted CSV is sent as a file, as an uploaded one is.

const MAX_ITEMS = 100000;

export class InputError extends Error {}

/**
 * What was pasted: JSON items (an array, or {"items": [...]}), told apart by the first character, or else CSV text,
 * to be uploaded as a file. Returns {items} or {csv}.
 */
export function readInput(text) {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) {
    throw new InputError('Paste items or choose a file first.');
  }
  if (!(trimmed.startsWith('[') || trimmed.startsWith('{'))) {
    return { csv: text };
  }
  const items = fromJson(trimmed);
  if (items.length === 0) {
    throw new InputError('There are no items: the JSON holds an empty list.');
  }
  if (items.length > MAX_ITEMS) {
    throw new InputError(`A job takes at most ${MAX_ITEMS.toLocaleString('en')} items; this has ${items.length.toLocaleString('en')}.`);
  }
  return { items };
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
