// JSON fetch wrapper for the Pixels API (same origin, session cookie sent by the browser;
// this code never sees or stores a token). Every failure becomes an ApiError with the
// server's stable `code`. A 401 AUTH_REQUIRED / SESSION_EXPIRED is also reported to the
// handler set with onAuthLost(), which sends a signed-in user back to the login page.

const AUTH_LOST_CODES = new Set(['AUTH_REQUIRED', 'SESSION_EXPIRED']);
let authLostHandler = null;

export class ApiError extends Error {
  constructor(status, code, message, retryAfterSeconds = null, body = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
    this.field = (body && typeof body.field === 'string') ? body.field : null; // the input at fault
    this.body = body || {}; // the whole error body, e.g. CONTACT_EXISTS carries existingId
    this.handled = false; // true once the auth-lost handler redirected to login
  }
}

export function onAuthLost(handler) {
  authLostHandler = handler;
}

function fallbackMessage(status) {
  if (status >= 500) return 'The server ran into a problem. Please try again.';
  if (status === 404) return 'That resource was not found.';
  if (status === 403) return 'You do not have permission to do that.';
  return `Request failed (HTTP ${status}).`;
}

async function readJson(res) {
  try {
    return await res.json();
  } catch {
    return null;
  }
}

export async function request(method, url, body) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(url, init);
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'Cannot reach the Pixels server. Check that it is running, then try again.');
  }
  const data = await readJson(res);
  if (res.ok && data && data.success !== false) return data;
  if (res.ok) throw new ApiError(res.status, 'BAD_RESPONSE', 'The server sent an unexpected response.');
  const retry = Number.parseInt(res.headers.get('Retry-After') || '', 10);
  const err = new ApiError(
    res.status,
    (data && data.code) || `HTTP_${res.status}`,
    (data && data.message) || fallbackMessage(res.status),
    Number.isFinite(retry) ? retry : null,
    data,
  );
  if (res.status === 401 && AUTH_LOST_CODES.has(err.code) && authLostHandler) {
    err.handled = authLostHandler(err) === true;
  }
  throw err;
}

// '/api/contacts', {limit: 50, search: ''} -> '/api/contacts?limit=50' (empty values dropped).
export function withQuery(url, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${url}?${text}` : url;
}

export const api = {
  get: (url, params) => request('GET', params ? withQuery(url, params) : url),
  post: (url, body = {}) => request('POST', url, body),
  put: (url, body = {}) => request('PUT', url, body),
  patch: (url, body) => request('PATCH', url, body),
  del: (url) => request('DELETE', url),
};
