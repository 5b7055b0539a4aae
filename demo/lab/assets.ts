/**
 * Subresources a page embeds cross-origin (img, link, script, @font-face,
 * fetch). Each one is served without CORS headers by default and with them on
 * `?cors=1`, so a test can compare an opaque load with a CORS-enabled one.
 */
import { readFile } from 'node:fs/promises';
import { solidPng } from './png.js';

export type Asset =
  | { readonly type: string; readonly body: Buffer }
  | { readonly missing: string };

/** What `/assets/pixel.png` decodes to; exported so tests can check `naturalWidth` etc. */
export const PIXEL = { width: 16, height: 8, rgb: [0, 128, 255] } as const;

/**
 * Generating a font a browser's sanitizer (OTS in Chromium, Firefox) accepts
 * takes ~10 interlocking tables, so the lab serves a system TrueType font
 * instead (Debian's fonts-liberation / fonts-dejavu-core); first found wins.
 */
export const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf',
] as const;

async function loadFont(): Promise<Asset> {
  for (const path of FONT_CANDIDATES) {
    try {
      return { type: 'font/ttf', body: await readFile(path) };
    } catch {
      // try the next candidate
    }
  }
  return { missing: `lab font unavailable: none of ${FONT_CANDIDATES.join(', ')} exists on this machine` };
}

function text(type: string, body: string): Asset {
  return { type: `${type}; charset=utf-8`, body: Buffer.from(body, 'utf8') };
}

/** Built once per lab start; keyed by request pathname. */
export async function loadAssets(): Promise<ReadonlyMap<string, Asset>> {
  return new Map<string, Asset>([
    ['/assets/pixel.png', { type: 'image/png', body: solidPng(PIXEL.width, PIXEL.height, PIXEL.rgb) }],
    ['/assets/style.css', text('text/css', '.lab-styled { color: rgb(0, 128, 0); }\n')],
    ['/assets/script.js', text('text/javascript', 'globalThis.labScriptRan = true;\n')],
    ['/assets/data.json', text('application/json', '{"endpoint":"data","items":[1,2,3]}')],
    ['/assets/font.ttf', await loadFont()],
  ]);
}
