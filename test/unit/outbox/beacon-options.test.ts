import { describe, expect, it } from 'vitest';
import { CrossrouteError } from '../../../src/sw/errors.js';
import { MemorySink } from '../../../src/sw/outcome/memory-sink.js';
import { validateBeaconOptions } from '../../../src/sw/policies/beacon/beacon-options.js';
import { beacon } from '../../../src/sw/policies/beacon.js';
import { validateRules } from '../../../src/sw/rules/validate-rules.js';

const refusal = (options: unknown): string => {
  try {
    validateBeaconOptions(options, 'rules[2].options');
  } catch (error) {
    expect(error).toBeInstanceOf(CrossrouteError);
    return (error as Error).message;
  }
  throw new Error('expected the options to be refused');
};

describe('beacon options', () => {
  it('has defaults for everything', () => {
    expect(validateBeaconOptions({}, 'x')).toEqual({
      delivery: 'no-cors',
      idParam: null,
      credentials: 'page',
      retry: { maxAttempts: 10, maxAgeMs: 7 * 86_400_000, backoffMs: 1000, backoffMaxMs: 300_000 },
      batch: null,
      outbox: { maxEntries: 50_000, maxBytes: 20 * 1024 * 1024, concurrency: 6 },
      answer: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":1,"code":200}' },
    });
    expect(validateBeaconOptions({ answer: { status: 204, body: '' } }, 'x').answer).toEqual({ status: 204, headers: { 'content-type': 'application/json' }, body: '' });
    expect(validateBeaconOptions({ batch: 'ndjson', idParam: 'id', delivery: 'auto' }, 'x')).toMatchObject({
      delivery: 'auto',
      idParam: 'id',
      batch: { format: 'ndjson', maxEntries: 50, maxBytes: 65_536, waitMs: 1000 },
    });
  });

  it('names the field and the fix', () => {
    expect(refusal({ answer: { status: 500 } })).toBe('rules[2].options.answer.status must be a 2xx status (got number 500).');
    expect(refusal({ answer: { status: 204 } })).toBe('rules[2].options.answer.body must be "" with status 204, which carries no body; or give a status such as 200.');
    expect(refusal({ answer: { headers: { 'bad name': 'x' } } })).toMatch(/^rules\[2\]\.options\.answer\.headers: .*; give valid header names and values\.$/);
    expect(refusal({ answer: { text: 'ok' } })).toBe('rules[2].options.answer.text is not part of an answer. Known: status, headers, body.');
    expect(refusal({ delivery: 'beacon' })).toBe('rules[2].options.delivery must be one of "no-cors", "cors", "auto" (got "beacon").');
    expect(refusal({ batch: 'csv' })).toBe(
      'rules[2].options.batch: "csv" is not a batch format. Use one of: ndjson; or register yours with registerBatchFormat() before setupCrossroute().',
    );
    expect(refusal({ batchMaxBytes: 65_537 })).toContain('rules[2].options.batchMaxBytes must be a whole number from 1 to 65536');
    expect(refusal({ backoffSeconds: 5, backoffMaxSeconds: 1 })).toContain('backoffMaxSeconds (1) is below backoffSeconds (5)');
    expect(refusal({ maxAttempt: 3 })).toContain('rules[2].options.maxAttempt is not an option of this policy');
  });

  it('is a built-in policy, checked with the other rules at setup', () => {
    expect(() => validateRules([{ match: { origin: 'http://127.0.0.1:1' }, policy: beacon, options: { concurrency: 0 } }], new MemorySink())).toThrow(
      'rules[0].options.concurrency must be a whole number from 1 to 64 (got number 0).',
    );
  });
});
