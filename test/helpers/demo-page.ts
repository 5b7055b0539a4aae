import { afterAll, beforeAll } from 'vitest';
import { startDemo, type DemoStack } from '../../demo/demo-stack.js';
import { launch, type BrowserSession, type EngineName, type TestPage } from './browser.js';

/** The demo (what `npm run demo` serves) open in one engine, shared by the tests of a describe block. */
export interface DemoSession {
  demo: DemoStack;
  page: TestPage;
}

/** Starts the demo's two origins and opens its page in `engine` before the block's tests, and closes both after them. */
export function useDemoPage(engine: EngineName): DemoSession {
  const session = {} as DemoSession;
  let browser: BrowserSession | undefined;
  beforeAll(async () => {
    session.demo = await startDemo();
    browser = await launch(engine);
    session.page = await browser.newPage();
    await session.page.goto(`${session.demo.app.origin}/`);
    await session.page.evaluate(() => window.demo.ready);
  });
  afterAll(async () => {
    await browser?.close();
    await session.demo?.close();
  });
  return session;
}
