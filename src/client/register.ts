/** Options of registerCrossroute(). */
export interface RegisterOptions {
  /** The registration's scope; default: the script's folder. */
  scope?: string;
  /** 'module' for an ES-module service worker; default 'classic' (a bundled script). */
  type?: WorkerType;
  /** Seconds to wait for the page to be controlled; default 10. */
  timeoutSeconds?: number;
}

/**
 * Registers the service worker and resolves once this page is controlled by it. Waiting for
 * `navigator.serviceWorker.ready` is not enough: on a first visit the worker is active before it
 * claims the page, and requests made in between bypass it.
 */
export async function registerCrossroute(scriptURL: string | URL, options: RegisterOptions = {}): Promise<ServiceWorkerRegistration> {
  if (!('serviceWorker' in navigator)) {
    throw new Error('crossroute: service workers are unavailable here (they need a secure context: https, localhost or 127.0.0.1)');
  }
  const { timeoutSeconds = 10, ...registration } = options;
  const reg = await navigator.serviceWorker.register(scriptURL, registration);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`crossroute: the page was not controlled within ${timeoutSeconds} s; the worker must call skipWaiting() and clients.claim()`)),
      timeoutSeconds * 1000,
    );
    const controlled = (): void => {
      clearTimeout(timer);
      resolve();
    };
    navigator.serviceWorker.addEventListener('controllerchange', controlled, { once: true });
    // The claim may have landed between register() resolving and the listener being added.
    if (navigator.serviceWorker.controller) controlled();
  });
  return reg;
}
