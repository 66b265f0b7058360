import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { findFreePort } from '../../src/server/platform/net';
import { createTestDatabase } from '../../test/support/database';
import { runScout, waitForHealthy } from '../../test/support/process';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser';

export interface BrowserScout {
  baseUrl: string;
  /** The test database Scout runs on, for assertions about what is stored. */
  databaseUrl: string;
  browser: Browser;
  /** A fresh browser context (own cookies) at the given viewport. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** Saves a settled full-page screenshot when SCOUT_SCREENSHOTS_DIR is set. */
  snap(page: Page, name: string): Promise<void>;
  stop(): Promise<void>;
}

const SCREENSHOTS = process.env.SCOUT_SCREENSHOTS_DIR;

/** `scout start` as a user runs it (fresh database, free port) and a browser to drive it. */
export async function startBrowserScout(env: Record<string, string> = {}): Promise<BrowserScout> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'scout-e2e-'));
  if (SCREENSHOTS) await mkdir(SCREENSHOTS, { recursive: true });
  const port = await findFreePort();
  const baseUrl = `http://localhost:${port}`;
  const scout = runScout(['start'], { DATABASE_URL: database.url, SCOUT_DATA_DIR: dataDir, PORT: String(port), SCOUT_BASE_URL: baseUrl, LOG_LEVEL: 'warn', ...env });
  const [browser] = await Promise.all([launchBrowser(), waitForHealthy(baseUrl, scout)]);
  return {
    baseUrl,
    databaseUrl: database.url,
    browser,
    async newPage(viewport = { width: 1280, height: 800 }) {
      return (await browser.newContext({ viewport })).newPage();
    },
    async snap(page, name) {
      if (!SCREENSHOTS) return;
      // Let enter animations (dialogs, popovers, toasts) finish so the picture shows the settled page;
      // endless ones (spinners, skeletons' pulse) never finish, so they stop where they are.
      await page.evaluate(() => {
        for (const animation of document.getAnimations()) {
          if (animation.effect?.getComputedTiming().iterations === Infinity) animation.cancel();
        }
        // Asked again: a cancelled animation's `finished` is a new promise that never settles. Nothing crosses back.
        return Promise.allSettled(document.getAnimations().map((animation) => animation.finished)).then(() => undefined);
      });
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    async stop() {
      await browser.close();
      scout.child.kill('SIGTERM');
      await scout.exit;
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts Scout and a browser before the file's tests and stops them after
 * (declare it inside the `describe`). `env` may be a function, read when
 * Scout starts, for values an earlier `beforeAll` sets up (a simulator's URL).
 */
export function useBrowserScout(env: Record<string, string> | (() => Record<string, string>) = {}): BrowserScout {
  let started: BrowserScout | undefined;
  beforeAll(async () => {
    started = await startBrowserScout(typeof env === 'function' ? env() : env);
  });
  afterAll(async () => {
    await started?.stop();
  });
  const current = (): BrowserScout => {
    if (!started) throw new Error('Scout is not running: use it inside a test or a later hook');
    return started;
  };
  return {
    get baseUrl() {
      return current().baseUrl;
    },
    get databaseUrl() {
      return current().databaseUrl;
    },
    get browser() {
      return current().browser;
    },
    newPage: (viewport) => current().newPage(viewport),
    snap: (page, name) => current().snap(page, name),
    stop: () => current().stop(),
  };
}
