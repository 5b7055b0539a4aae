import { afterAll, afterEach, beforeAll } from 'vitest';
import { launch, type BrowserSession, type EngineName, type TestPage } from './browser.js';
import { startStack, type Stack } from './stack.js';
import type { TestConfig } from '../fixtures/test-config.js';

/** What the tests of one describe block share: the stack, one browser of the engine, and the pages they open. */
export interface E2eSuite {
  readonly stack: Stack;
  readonly browser: BrowserSession;
  /** A page in a fresh profile, closed after the test. */
  newPage(): Promise<TestPage>;
  /** A fresh profile whose test page is controlled by the worker under test with `config`; the lab's log is cleared first. */
  controlledPage(config: TestConfig): Promise<TestPage>;
  /**
   * The same, but app code on the page first opens the IndexedDB database `name`, before any worker
   * exists, as a page may: `version` is what it saw (an empty database is created at version 1).
   */
  controlledAfterPageOpened(name: string, config: TestConfig): Promise<{ page: TestPage; version: number }>;
}

/** Registers the hooks that start the stack and the browser for the block and close each test's pages. */
export function useE2eSuite(engine: EngineName): E2eSuite {
  let stack: Stack | undefined;
  let browser: BrowserSession | undefined;
  const opened: TestPage[] = [];
  beforeAll(async () => {
    stack = await startStack();
    browser = await launch(engine);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  // A test may have closed its page itself already.
  afterEach(() => Promise.all(opened.splice(0).map((page) => page.close().catch(() => undefined))).then(() => undefined));
  return {
    get stack() {
      if (!stack) throw new Error('the e2e stack is not started yet: use it inside tests and hooks');
      return stack;
    },
    get browser() {
      if (!browser) throw new Error('the browser is not launched yet: use it inside tests and hooks');
      return browser;
    },
    async newPage() {
      const page = await this.browser.newPage();
      opened.push(page);
      return page;
    },
    async controlledPage(config) {
      return control(this.stack, await this.newPage(), config);
    },
    async controlledAfterPageOpened(name, config) {
      const page = await this.newPage();
      await page.goto(this.stack.pageUrl());
      const version = await page.evaluate(
        (name) =>
          new Promise<number>((resolve, reject) => {
            const request = indexedDB.open(name);
            request.onsuccess = () => {
              request.result.close();
              resolve(request.result.version);
            };
            request.onerror = () => reject(request.error);
          }),
        name,
      );
      return { page: await control(this.stack, page, config), version };
    },
  };
}

async function control(stack: Stack, page: TestPage, config: TestConfig): Promise<TestPage> {
  stack.lab.clear();
  await page.goto(stack.pageUrl(config));
  await page.evaluate(() => window.crossrouteTest.ready);
  await page.waitForController();
  return page;
}
