import { deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../../src/sw/policies/beacon/decode-body.js';

const text = '{"events":[{"event_type":"click"}]}'.repeat(20);
const bytes = (buffer: Buffer): ArrayBuffer => buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;

describe('decodeBody', () => {
  it('decodes gzip and deflate (zlib) bodies and says so; leaves unmarked bodies alone', async () => {
    for (const [coding, packed] of [['gzip', gzipSync(text)], ['deflate', deflateSync(text)], ['X-Gzip', gzipSync(text)]] as const) {
      const { body, change } = await decodeBody(bytes(packed), coding);
      expect(new TextDecoder().decode(body)).toBe(text);
      expect(change).toBe(`body decoded from Content-Encoding ${coding.toLowerCase()} (${packed.byteLength} → ${text.length} bytes): a simple request cannot carry Content-Encoding, so the server gets the data itself`);
    }
    const plain = bytes(gzipSync(text));
    expect(await decodeBody(plain, null)).toEqual({ body: plain });
    expect(await decodeBody(plain, 'identity')).toEqual({ body: plain });
  });

  it('refuses what it cannot decode, so the policy fails open', async () => {
    await expect(decodeBody(bytes(Buffer.from(text)), 'br')).rejects.toMatchObject({ code: 'unsupported-encoding', message: expect.stringContaining('Content-Encoding "br"') });
    await expect(decodeBody(bytes(Buffer.from(text)), 'gzip, br')).rejects.toMatchObject({ code: 'unsupported-encoding' });
    await expect(decodeBody(bytes(Buffer.from(text)), 'gzip')).rejects.toMatchObject({ code: 'unsupported-encoding', message: expect.stringContaining('is not valid gzip') });
  });
});
