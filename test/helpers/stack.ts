import { startAppServer, type AppServer } from '../../demo/app-server.js';
import { startLab, type Lab } from '../../demo/lab/server.js';
import type { TestConfig } from '../fixtures/test-config.js';

/** The two origins every e2e test needs: the app (localhost) and the third-party lab (127.0.0.1). */
export interface Stack {
  app: AppServer;
  lab: Lab;
  /** The test page; with a config it registers the worker under test with those rules. */
  pageUrl(config?: TestConfig): string;
  /** Stops the lab for real (the origin is down), then brings it back on the same port. */
  restartLab(): Promise<void>;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const app = await startAppServer();
  const stack: Stack = {
    app,
    lab: await startLab({ appOrigin: app.origin }),
    pageUrl(config) {
      return config ? `${app.origin}/test.html?config=${encodeURIComponent(JSON.stringify(config))}` : `${app.origin}/test.html`;
    },
    async restartLab() {
      const port = stack.lab.port;
      await stack.lab.close();
      stack.lab = await startLab({ appOrigin: app.origin, port });
    },
    async close() {
      await Promise.all([app.close(), stack.lab.close()]);
    },
  };
  return stack;
}

/** Polls `probe` until it returns a value that is not undefined (outcomes are written just after the response). */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
