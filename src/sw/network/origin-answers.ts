/**
 * Whether the origin answers at all. A no-cors HEAD has no CORS check to fail and repeats no effect,
 * so its failure means the network, and its success after a failed cors-mode request means a refusal.
 */
export function originAnswers(url: string): Promise<boolean> {
  return fetch(url, { method: 'HEAD', mode: 'no-cors', credentials: 'omit', cache: 'no-store' }).then(
    () => true,
    () => false,
  );
}
