import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium; tests never download a browser of their own. */
export const CHROMIUM_PATH = process.env.SCOUT_CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags DEVELOPERS.md lists: headless, no sandbox as root, no network chatter on a closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const INSTALL_HINT = `Browser tests need Chromium at ${CHROMIUM_PATH}. Install it with: apt-get update && apt-get install -y chromium`;

/** On CI a missing browser fails the run; elsewhere the browser tests are reported as not run, with the install hint. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI) throw new Error(INSTALL_HINT);
  console.warn(INSTALL_HINT);
  return false;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
