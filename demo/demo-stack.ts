import { startAppServer, type AppServer } from './app-server.js';
import { startLab, type Lab } from './lab/server.js';

export interface DemoStack {
  app: AppServer;
  lab: Lab;
  /** Stops the lab and starts it again on its port (the third party's outage and return). */
  restartLab(): Promise<void>;
  close(): Promise<void>;
}

/** The demo's two origins: the app (with its proxy at /__proxy) on localhost, the lab on 127.0.0.1. */
export async function startDemo(ports: { app?: number; lab?: number } = {}): Promise<DemoStack> {
  let labOrigin = '';
  const app = await startAppServer({
    port: ports.app ?? 0,
    config: () => ({ labOrigin }),
    // The demo's proxy reaches the lab only; the lab is on loopback, which only this test-only option admits.
    proxies: { '/__proxy': (appOrigin) => ({ allow: [labOrigin], appOrigins: [appOrigin], admitLoopbackForTests: [new URL(labOrigin).host] }) },
  });
  const stack: DemoStack = {
    app,
    lab: await startLab({ port: ports.lab ?? 0, appOrigin: app.origin }),
    async restartLab() {
      await stack.lab.close();
      stack.lab = await startLab({ port: stack.lab.port, appOrigin: app.origin });
    },
    close: () => Promise.all([app.close(), stack.lab.close()]).then(() => undefined),
  };
  labOrigin = stack.lab.origin;
  return stack;
}
