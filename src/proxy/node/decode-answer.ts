import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { headerTokens } from '../core/header-tokens.js';
import type { HeaderPairs } from '../core/proxy-input.js';

const DECODERS: Record<string, () => Transform> = { gzip: createGunzip, 'x-gzip': createGunzip, deflate: createInflate, br: createBrotliDecompress };

/**
 * Decodes the content codings a fetch decodes (gzip, deflate, br), as the web shell's fetch does,
 * so options.maxResponseBytes counts the same decoded bytes in both shells and a compression bomb
 * is cut at the limit instead of passing as a few wire bytes. Content-Encoding and Content-Length
 * then no longer describe the body and are dropped. An unknown coding is passed on as sent.
 */
export function decodeAnswer(headers: HeaderPairs, body: Readable | null): { headers: HeaderPairs; body: Readable | null } {
  const coding = headers.find(([name]) => name === 'content-encoding')?.[1];
  if (coding === undefined || body === null) return { headers, body };
  const codings = headerTokens(coding.toLowerCase());
  if (!codings.every((token) => token in DECODERS)) return { headers, body };
  let decoded = body;
  // Codings are listed in the order they were applied: undo the last first.
  for (const token of codings.reverse()) {
    const decoder = DECODERS[token]!();
    decoded.once('error', (error) => decoder.destroy(error));
    decoded = decoded.pipe(decoder);
  }
  return { headers: headers.filter(([name]) => name !== 'content-encoding' && name !== 'content-length'), body: decoded };
}
