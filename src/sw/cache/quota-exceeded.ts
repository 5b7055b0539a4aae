/** The error Cache Storage and IndexedDB raise when the origin's quota is full (legacy code 22 included). */
export function isQuotaExceeded(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'QuotaExceededError' || error.code === 22);
}
