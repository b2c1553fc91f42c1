import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { signInOwner } from './auth';
import { DESKTOP, launchBrowser, openPage, type TestPage } from './browser';
import { DEMO, loadDemo } from './demo';
import { startServer, type RunningApp } from './server';

/**
 * One app (loaded with the small demo, the e2e owner signed in) and one
 * browser for a test file, with
 * the checks every page test shares: no page may log an error (hydration
 * mismatches and CSP violations land there). Call once at module level.
 */
export interface DemoSession {
  readonly app: RunningApp;
  /** The e2e owner's session cookie (`lp_session=…`), for fetch(). */
  readonly cookie: string;
  /** A signed-in page. */
  open(viewport?: typeof DESKTOP): Promise<Page>;
  visit(page: Page, url: string): Promise<void>;
  /** Waits for a client-side navigation to land and the page to stop being busy. */
  navigated(page: Page, matches: (url: URL) => boolean): Promise<void>;
}

export function startDemoSession(): DemoSession {
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let cookie: string | undefined;
  const opened: TestPage[] = [];

  beforeAll(async () => {
    app = await startServer();
    await loadDemo(app);
    cookie = await signInOwner(app, [DEMO.workspace]);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  afterEach(async () => {
    const problems = opened.flatMap((p) => p.problems);
    await Promise.all(opened.splice(0).map((p) => p.context.close()));
    expect(problems).toEqual([]);
  });

  return {
    get app() {
      if (!app) throw new Error('the app starts in beforeAll');
      return app;
    },
    get cookie() {
      if (!cookie) throw new Error('the owner signs in in beforeAll');
      return cookie;
    },
    async open(viewport = DESKTOP) {
      if (!browser || !app || !cookie) throw new Error('the browser starts in beforeAll');
      const testPage = await openPage(browser, viewport, { app, cookie });
      testPage.page.setDefaultTimeout(15_000);
      opened.push(testPage);
      return testPage.page;
    },
    async visit(page, url) {
      await page.goto(url);
      await page.waitForLoadState('networkidle');
    },
    async navigated(page, matches) {
      await page.waitForURL(matches);
      await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') === null);
    },
  };
}
