import { explainRequest } from '../../fetch-spec/index.js';
import type { CorsCase } from '../knowledge/cors-fact.js';
import { headersSetByPage } from './headers-set-by-page.js';

/** Which grant a cors-mode request needs from its origin, sent with `credentials` (see CorsCase). */
export function corsCaseOf(request: Request, credentials: RequestCredentials = request.credentials): CorsCase {
  if (credentials === 'include') return 'credentialed';
  const explanation = explainRequest({ url: request.url, method: request.method, headers: headersSetByPage(request), mode: 'cors' }, self.location.origin);
  return explanation.preflight ? 'preflighted' : 'simple';
}
