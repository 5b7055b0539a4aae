import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip } from 'node:zlib';
import { contentCoding, isDecodedCoding, type DecodedCoding } from '../core/content-coding.js';
import type { HeaderPairs } from '../core/proxy-input.js';
import { readableSource, type BodySource } from './body-source.js';

const DECODERS: Record<DecodedCoding, () => Transform> = { gzip: createGunzip, br: createBrotliDecompress };

/**
 * Decodes the content codings the proxy passes on (gzip, br; the core has refused any other on an
 * answer with a body), as the web shell's fetch does, so options.maxResponseBytes counts the same
 * decoded bytes in both shells and a compression bomb is cut at the limit instead of passing as a
 * few wire bytes. Content-Length then no longer describes the body and is dropped, whenever a coding
 * is named, from an answer without a body (HEAD, 204, 304) too, which has nothing to decode.
 */
export function decodeAnswer(headers: HeaderPairs, body: BodySource, hasBody: boolean): { headers: HeaderPairs; body: BodySource } {
  const coding = contentCoding(headers);
  if (coding === undefined) return { headers, body };
  // A HEAD's Content-Length is the encoded body's, which the GET's decoded body would not have (as
  // the web shell's fetch drops it whenever a coding is named).
  const decodedHeaders = headers.filter(([name]) => name !== 'content-length');
  // Without a body nothing is decoded; with one, the core has refused a coding not listed.
  if (!hasBody || !isDecodedCoding(coding)) return { headers: decodedHeaders, body };
  const decoder = DECODERS[coding]();
  decoder.on('drain', () => body.resume());
  body.start({
    data: (chunk) => void (decoder.write(chunk) || body.pause()),
    end: () => void decoder.end(),
    error: (error) => void decoder.destroy(error),
  });
  const output = readableSource(decoder);
  return {
    headers: decodedHeaders,
    // Stopping the decoded body stops the target's too.
    body: { ...output, destroy: (reason) => (body.destroy(reason), output.destroy(reason)) },
  };
}
