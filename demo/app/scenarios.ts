/**
 * One scenario per case of the seed articles: what the page does, against which lab endpoint.
 * `run` resolves with what the page itself could see (the worker's outcome is shown beside it).
 */
export interface Scenario {
  id: string;
  title: string;
  seed: string;
  run(lab: string): Promise<string>;
}

async function read(response: Response): Promise<string> {
  if (response.type === 'opaque') return 'opaque response (status 0, body hidden)';
  return `${response.status} ${response.type}${response.redirected ? ' (redirected)' : ''}: ${(await response.text()).slice(0, 80)}`;
}

async function attempt(request: () => Promise<Response>): Promise<string> {
  try {
    return await read(await request());
  } catch (error) {
    return `rejected: ${error instanceof Error ? error.message : String(error)}`;
  }
}

export const scenarios: Scenario[] = [
  { id: 'cors', title: 'GET /cors (origin sends CORS)', seed: '000', run: (lab) => attempt(() => fetch(`${lab}/cors`)) },
  { id: 'no-cors', title: 'GET /no-cors (no CORS headers)', seed: '000', run: (lab) => attempt(() => fetch(`${lab}/no-cors`)) },
  { id: 'cors-redirect', title: 'GET /cors-redirect → /cors', seed: '000', run: (lab) => attempt(() => fetch(`${lab}/cors-redirect`)) },
  { id: 'no-cors-redirect', title: 'GET /no-cors-redirect → /cors (first hop lacks CORS)', seed: '000', run: (lab) => attempt(() => fetch(`${lab}/no-cors-redirect`)) },
  {
    id: 'preflight',
    title: 'PUT JSON to /preflight (origin answers OPTIONS)',
    seed: '004',
    run: (lab) => attempt(() => fetch(`${lab}/preflight`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"a":1}' })),
  },
  {
    id: 'preflight-405',
    title: 'POST JSON to /preflight-405 (no OPTIONS support)',
    seed: '004',
    run: (lab) => attempt(() => fetch(`${lab}/preflight-405`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })),
  },
  {
    id: 'preflight-401',
    title: 'GET /preflight-401 with Authorization (OPTIONS demands auth)',
    seed: '004',
    run: (lab) => attempt(() => fetch(`${lab}/preflight-401`, { headers: { authorization: 'Bearer demo' } })),
  },
  {
    id: 'missing-allow-headers',
    title: 'POST JSON to /missing-allow-headers (preflight omits Allow-Headers)',
    seed: '004',
    run: (lab) => attempt(() => fetch(`${lab}/missing-allow-headers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })),
  },
  {
    id: 'delete-post',
    title: 'form POST to /delete-post (blocked by a rule)',
    seed: '003',
    run: (lab) => attempt(() => fetch(`${lab}/delete-post`, { method: 'POST', body: new URLSearchParams({ id: '13' }) })),
  },
  { id: 'asset', title: 'no-cors GET /assets/pixel.png (cached opaque)', seed: '000', run: (lab) => attempt(() => fetch(`${lab}/assets/pixel.png`, { mode: 'no-cors' })) },
  { id: 'asset-again', title: 'the same image again: from the cache', seed: '000', run: (lab) => attempt(() => fetch(`${lab}/assets/pixel.png`, { mode: 'no-cors' })) },
  {
    id: 'beacon',
    title: 'JSON analytics POST to /beacon (no CORS): queued, answered 204, delivered as a simple request',
    seed: '004',
    run: (lab) => attempt(() => fetch(`${lab}/beacon`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"event":"demo"}' })),
  },
  { id: 'status-500', title: 'no-cors GET /status/500', seed: '001', run: (lab) => attempt(() => fetch(`${lab}/status/500`, { mode: 'no-cors' })) },
  { id: 'proxy', title: 'GET /assets/data.json (no CORS headers) through the app\'s proxy', seed: '001', run: (lab) => attempt(() => fetch(`${lab}/assets/data.json`)) },
];
