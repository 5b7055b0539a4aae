import { ProxyFailure, quote } from './proxy-failure.js';
import type { HeaderPairs } from './proxy-input.js';
import type { UpstreamAnswer } from './upstream.js';

/**
 * The content codings the proxy passes on, always decoded: those every runtime it runs on decodes.
 * workerd's fetch decodes a lone `gzip` or `br` (exactly so spelled) and hands anything else over as
 * sent, deflate and two codings included; Node's fetch decodes more, and the Node shell decodes these.
 */
export const DECODED_CODINGS = ['gzip', 'br'] as const;
export type DecodedCoding = (typeof DECODED_CODINGS)[number];

/** The answer's Content-Encoding as one value (repeated fields joined, as a fetch reads them); undefined for none. */
export function contentCoding(headers: HeaderPairs): string | undefined {
  // A loop, not filter/map: this runs on every answer of the Node shell's hot path.
  let coding: string | undefined;
  for (const [name, value] of headers) {
    const part = name === 'content-encoding' ? value.trim() : '';
    if (part) coding = coding === undefined ? part : `${coding}, ${part}`;
  }
  return coding;
}

export function isDecodedCoding(coding: string): coding is DecodedCoding {
  return (DECODED_CODINGS as readonly string[]).includes(coding);
}

/**
 * Refuses an answer whose body is in a coding the proxy would not decode: passed on as sent, its
 * bytes would escape options.maxResponseBytes (counted on the wire) and reach the page in a coding
 * its headers no longer name.
 */
export function checkedCoding<Answer extends UpstreamAnswer<unknown>>(answer: Answer): Answer {
  const coding = contentCoding(answer.headers);
  if (coding === undefined || isDecodedCoding(coding)) return answer;
  answer.discard();
  throw new ProxyFailure('upstream-failed', 502, `the target's answer has Content-Encoding ${quote(coding)}, which the proxy does not decode (it passes on identity, gzip or br).`);
}
