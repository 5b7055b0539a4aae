import { type Diagnosis, type DoctorRequest, type DoctorStep, REASON_TEXT } from '../doctor/index.js';

/** Response headers worth printing: the CORS ones, where a redirect goes, and what the page reads. */
function shown(name: string, read: readonly string[]): boolean {
  return name.startsWith('access-control-') || name === 'location' || name === 'vary' || read.some((wanted) => wanted.toLowerCase() === name);
}

function formatStep(step: DoctorStep, index: number, read: readonly string[]): string[] {
  const lines = [`${index + 1}. ${step.kind === 'preflight' ? 'preflight ' : ''}${step.sent.method} ${step.sent.url}`];
  for (const [name, value] of step.sent.headers) lines.push(`   > ${name}: ${value}`);
  if (step.result === 'not-sent') lines.push('   (not sent)');
  if (step.networkError !== undefined) lines.push(`   no answer: ${step.networkError}`);
  if (step.received) {
    lines.push(`   < ${step.received.status}`);
    const headers = step.received.headers.filter(([name]) => shown(name, read));
    for (const [name, value] of headers) lines.push(`   < ${name}: ${value}`);
    if (!headers.some(([name]) => name.startsWith('access-control-'))) lines.push('   < (no Access-Control-* headers)');
    const check = step.kind === 'preflight' ? 'preflight check' : 'CORS check';
    lines.push(`   ${step.result === 'basic' ? 'same origin: no CORS check' : `${check} ${step.result}`}`);
  }
  return lines;
}

/** The diagnosis as a developer reads it in a terminal: the steps, the verdict, the fix. */
export function formatDiagnosis(request: DoctorRequest, diagnosis: Diagnosis): string {
  const read = request.read ?? [];
  const lines = [`${request.method ?? 'GET'} ${request.url} from a page on ${request.origin}`];
  if (!diagnosis.crossOrigin) lines.push('same origin');
  else if (diagnosis.preflightReasons.length === 0) lines.push('cross-origin, a simple request: no preflight');
  else lines.push('cross-origin, preflighted because:', ...diagnosis.preflightReasons.map((reason) => `  - ${reason}`));
  lines.push('');
  diagnosis.steps.forEach((step, index) => lines.push(...formatStep(step, index, read), ''));
  const { failure } = diagnosis;
  if (failure) {
    lines.push(`blocked at step ${failure.step + 1}: ${failure.reason} (${REASON_TEXT[failure.reason]})`, `  ${failure.message}`, `fix: ${failure.fix}`);
  } else {
    lines.push(diagnosis.verdict === 'ok' ? 'ok: the browser would let the page read the answer' : 'unverified: the preflight passes; the actual request was not sent (add --send)');
  }
  for (const note of diagnosis.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}
