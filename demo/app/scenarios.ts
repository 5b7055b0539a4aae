/**
 * One scenario per case of the seed articles: what the page fetches, from which lab endpoint.
 * `path` also tells the page which of the worker's outcomes belong to the scenario: a beacon's
 * delivery, for one, is logged while the next scenario runs.
 */
export interface Scenario {
  id: string;
  title: string;
  seed: string;
  path: string;
  init?: RequestInit;
}

async function read(response: Response): Promise<string> {
  if (response.type === 'opaque') return 'opaque response (status 0, body hidden)';
  return `${response.status} ${response.type}${response.redirected ? ' (redirected)' : ''}: ${(await response.text()).slice(0, 80)}`;
}

/** What the page itself could see (the worker's outcome is shown beside it). */
export async function runScenario(scenario: Scenario, lab: string): Promise<string> {
  try {
    return await read(await fetch(`${lab}${scenario.path}`, scenario.init));
  } catch (error) {
    return `rejected: ${error instanceof Error ? error.message : String(error)}`;
  }
}

export const scenarios: Scenario[] = [
  { id: 'cors', title: 'GET /cors (origin sends CORS)', seed: '000', path: '/cors' },
  { id: 'no-cors', title: 'GET /no-cors (no CORS headers)', seed: '000', path: '/no-cors' },
  { id: 'cors-redirect', title: 'GET /cors-redirect → /cors', seed: '000', path: '/cors-redirect' },
  { id: 'no-cors-redirect', title: 'GET /no-cors-redirect → /cors (first hop lacks CORS)', seed: '000', path: '/no-cors-redirect' },
  {
    id: 'preflight',
    title: 'PUT JSON to /preflight (origin answers OPTIONS)',
    seed: '004',
    path: '/preflight', init: { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"a":1}' },
  },
  {
    id: 'preflight-405',
    title: 'POST JSON to /preflight-405 (no OPTIONS support)',
    seed: '004',
    path: '/preflight-405', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
  },
  {
    id: 'preflight-401',
    title: 'GET /preflight-401 with Authorization (OPTIONS demands auth)',
    seed: '004',
    path: '/preflight-401', init: { headers: { authorization: 'Bearer demo' } },
  },
  {
    id: 'missing-allow-headers',
    title: 'POST JSON to /missing-allow-headers (preflight omits Allow-Headers)',
    seed: '004',
    path: '/missing-allow-headers', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
  },
  {
    id: 'delete-post',
    title: 'form POST to /delete-post (blocked by a rule)',
    seed: '003',
    path: '/delete-post', init: { method: 'POST', body: new URLSearchParams({ id: '13' }) },
  },
  { id: 'asset', title: 'no-cors GET /assets/pixel.png (cached opaque)', seed: '000', path: '/assets/pixel.png', init: { mode: 'no-cors' } },
  { id: 'asset-again', title: 'the same image again: from the cache', seed: '000', path: '/assets/pixel.png', init: { mode: 'no-cors' } },
  {
    id: 'beacon',
    title: 'JSON analytics POST to /beacon (no CORS): queued, answered 200, delivered as a simple request',
    seed: '004',
    path: '/beacon', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"event":"demo"}' },
  },
  { id: 'status-500', title: 'no-cors GET /status/500', seed: '001', path: '/status/500', init: { mode: 'no-cors' } },
  { id: 'proxy', title: 'GET /assets/data.json (no CORS headers) through the app\'s proxy', seed: '001', path: '/assets/data.json' },
];
