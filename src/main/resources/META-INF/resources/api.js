// Calls to this service's API, carrying the caller's credential when the service requires one.
// The credential lives in this tab's session storage only: it is gone when the tab closes, it is never put in a
// URL (where logs and history would keep it), and it is sent only to this service, since every call here is to a
// path on the page's own origin (the Content-Security-Policy's connect-src 'self' holds the browser to that too).

const STORAGE = 'catalog-classifier.credential';
/** A JWT's three base64url parts: such a credential is a bearer token; anything else is an API key. */
const JWT = /^[\w-]+\.[\w-]+\.[\w-]*$/;

const refusals = [];

/** Calls {@code listener(hadCredential)} whenever the service answers 401: it wants a (better) credential. */
export function onUnauthorized(listener) {
  refusals.push(listener);
}

export function credential() {
  return sessionStorage.getItem(STORAGE);
}

export function remember(value) {
  sessionStorage.setItem(STORAGE, value.trim());
}

export function forget() {
  sessionStorage.removeItem(STORAGE);
}

/** Fetches a path of this service's API with the caller's credential; a 401 is reported to the listeners. */
export async function api(path, options = {}) {
  if (!path.startsWith('/api/')) {
    throw new Error('only the service\'s own API is called with the credential: ' + path);
  }
  const sent = credential();
  const response = await fetch(path, { ...options, credentials: 'same-origin', headers: headers(sent, options.headers) });
  if (response.status === 401) {
    refusals.forEach((listener) => listener(sent !== null));
  }
  return response;
}

function headers(sent, extra) {
  const all = { Accept: 'application/json', ...extra };
  if (sent) {
    if (JWT.test(sent)) {
      all.Authorization = 'Bearer ' + sent;
    } else {
      all['X-API-Key'] = sent;
    }
  }
  return all;
}
