/**
 * Posts `message` to the worker with a port and resolves with its answer; null when no worker
 * answers within `timeoutSeconds` (none registered, or none of its rules listens for this message).
 * An answer `{ error }` rejects, naming `what` the worker could not read.
 */
export async function askWorker<T>(message: Record<string, unknown>, timeoutSeconds: number, what: string): Promise<T | null> {
  const worker = navigator.serviceWorker?.controller ?? (await navigator.serviceWorker?.getRegistration())?.active;
  if (!worker) return null;
  return new Promise((resolve, reject) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(null), timeoutSeconds * 1000);
    channel.port1.onmessage = (event: MessageEvent<T & { error?: string }>) => {
      clearTimeout(timer);
      if (event.data.error !== undefined) reject(new Error(`crossroute: the worker could not read ${what}: ${event.data.error}`));
      else resolve(event.data);
    };
    worker.postMessage(message, [channel.port2]);
  });
}
