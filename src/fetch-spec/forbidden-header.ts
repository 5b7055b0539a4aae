import { isForbiddenMethod } from './method.js';
import { getDecodeSplit } from './split-header-value.js';

// The user agent stays in full control of these; scripts setting them are silently ignored.
const FORBIDDEN_NAMES = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);

// Method-override headers are forbidden only when they smuggle a forbidden method.
const METHOD_OVERRIDE_NAMES = new Set(['x-http-method', 'x-http-method-override', 'x-method-override']);

/** Whether fetch() silently drops this header from a script's request (a forbidden request-header). */
export function isForbiddenRequestHeader(name: string, value: string): boolean {
  const lowerName = name.toLowerCase();
  if (FORBIDDEN_NAMES.has(lowerName)) return true;
  if (lowerName.startsWith('proxy-') || lowerName.startsWith('sec-')) return true;
  return METHOD_OVERRIDE_NAMES.has(lowerName) && getDecodeSplit(value).some(isForbiddenMethod);
}
