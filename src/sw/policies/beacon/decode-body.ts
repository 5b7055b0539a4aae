import { CrossrouteError } from '../../errors.js';

// What DecompressionStream reads; HTTP's "deflate" is the zlib format, which is its "deflate".
const FORMATS: Record<string, CompressionFormat> = { gzip: 'gzip', 'x-gzip': 'gzip', deflate: 'deflate' };

/**
 * A simple request cannot carry Content-Encoding, and a body sent without it loses its meaning (the
 * server gets compressed bytes it takes for text). So a gzip or deflate body is decoded before the
 * downgrade, and the change says so. Any other coding (br, zstd, several at once) cannot be kept
 * nor decoded here: it throws, and the beacon policy fails open (the request goes out as sent).
 * Bodies that mark their coding in the URL instead (PostHog's `compression=gzip-js`) carry no
 * Content-Encoding and are left as sent.
 */
export async function decodeBody(body: ArrayBuffer, contentEncoding: string | null): Promise<{ body: ArrayBuffer; change?: string }> {
  const coding = contentEncoding?.trim().toLowerCase() ?? '';
  if (coding === '' || coding === 'identity') return { body };
  const format = FORMATS[coding];
  if (!format) {
    throw new CrossrouteError('unsupported-encoding', 'Content-Encoding', `the beacon's body has Content-Encoding "${contentEncoding}", which a simple request cannot carry and only gzip and deflate can be decoded from; sent as is instead`);
  }
  let decoded: ArrayBuffer;
  try {
    decoded = await new Response(new Blob([body]).stream().pipeThrough(new DecompressionStream(format))).arrayBuffer();
  } catch (error) {
    throw new CrossrouteError('unsupported-encoding', 'Content-Encoding', `the beacon's body is not valid ${coding} (${error instanceof Error ? error.message : String(error)}); sent as is instead`);
  }
  return { body: decoded, change: `body decoded from Content-Encoding ${coding} (${body.byteLength} → ${decoded.byteLength} bytes): a simple request cannot carry Content-Encoding, so the server gets the data itself` };
}
