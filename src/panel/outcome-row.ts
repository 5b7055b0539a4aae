import type { StoredOutcome } from '../client/index.js';
import { clock, ms } from './charts.js';
import { familyOf } from './kind-family.js';
import { html } from './svg.js';

/**
 * One outcome as a disclosure: the summary line (time, kind, status, method, URL, duration), and
 * when opened, every field the worker recorded. A CORS refusal that was diagnosed leads with its
 * reason and fix, as the doctor words them.
 */
export function outcomeRow(outcome: StoredOutcome, open: boolean, onToggle: (open: boolean) => void): HTMLLIElement {
  const details = html(
    'details',
    { open },
    html(
      'summary',
      {},
      html('span', { class: 'muted' }, clock(outcome.time)),
      html('span', { class: `kind ${familyOf(outcome.kind)}` }, outcome.kind),
      html('span', {}, outcome.status === null ? 'no response' : String(outcome.status)),
      html('span', { class: 'url' }, `${outcome.method} ${outcome.url}`),
      html('span', { class: 'muted' }, ms(outcome.durationMs)),
    ),
  );
  details.addEventListener('toggle', () => onToggle(details.open));
  if (outcome.reason !== undefined || outcome.fix !== undefined) {
    details.append(
      html(
        'div',
        { class: 'diagnosis' },
        html('p', {}, html('strong', {}, 'Why: '), html('code', { class: 'reason' }, outcome.reason ?? 'not diagnosed')),
        html('p', {}, html('strong', {}, 'Fix: '), html('span', { class: 'fix' }, outcome.fix ?? 'none given')),
      ),
    );
  }
  const fields: Array<[string, string | number | boolean | undefined | null]> = [
    ['policy', `${outcome.policy} (rule ${outcome.ruleIndex})`],
    ['origin', outcome.targetOrigin],
    ['mode', `${outcome.mode}${outcome.destination ? `, ${outcome.destination}` : ''}`],
    ['response type', outcome.responseType ?? 'none'],
    ['redirected', outcome.redirected],
    ['redirects', outcome.redirects],
    ['upstream status', outcome.upstreamStatus],
    ['beacon', outcome.beaconId],
    ['detail', outcome.detail],
    ['changes', outcome.changes?.join('; ')],
    ['time', new Date(outcome.time).toISOString()],
  ];
  const list = html('dl');
  for (const [name, value] of fields) if (value !== undefined && value !== '') list.append(html('dt', {}, name), html('dd', {}, String(value)));
  details.append(list);
  return html('li', {}, details);
}
