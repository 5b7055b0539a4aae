import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { headerTokens } from '../core/header-tokens.js';
import type { HeaderPairs } from '../core/proxy-input.js';
import { readableSource, type BodySource } from './body-source.js';

const DECODERS: Record<string, () => Transform> = { gzip: createGunzip, 'x-gzip': createGunzip, deflate: createInflate, br: createBrotliDecompress };

/**
 * Decodes the content codings a fetch decodes (gzip, deflate, br), as the web shell's fetch does,
 * so options.maxResponseBytes counts the same decoded bytes in both shells and a compression bomb
 * is cut at the limit instead of passing as a few wire bytes. Content-Encoding and Content-Length
 * then no longer describe the body and are dropped. An unknown coding is passed on as sent, and
 * an identity body is passed on untouched.
 */
export function decodeAnswer(headers: HeaderPairs, body: BodySource): { headers: HeaderPairs; body: BodySource } {
  const coding = headers.find(([name]) => name === 'content-encoding')?.[1];
  if (coding === undefined) return { headers, body };
  const codings = headerTokens(coding.toLowerCase());
  if (codings.length === 0 || !codings.every((token) => token in DECODERS)) return { headers, body };
  // Codings are listed in the order they were applied: undo the last first.
  const decoders = codings.reverse().map((token) => DECODERS[token]!());
  const first = decoders[0]!;
  let decoded = first;
  for (const decoder of decoders.slice(1)) {
    decoded.once('error', (error) => decoder.destroy(error));
    decoded = decoded.pipe(decoder);
  }
  first.on('drain', () => body.resume());
  body.start({
    data: (chunk) => void (first.write(chunk) || body.pause()),
    end: () => void first.end(),
    error: (error) => void first.destroy(error),
  });
  const output = readableSource(decoded);
  return {
    headers: headers.filter(([name]) => name !== 'content-encoding' && name !== 'content-length'),
    // Stopping the decoded body stops the target's too.
    body: { ...output, destroy: (reason) => (body.destroy(reason), output.destroy(reason)) },
  };
}
