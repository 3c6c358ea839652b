import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, installed by scripts/ci/install-system-deps.sh. */
export const CHROMIUM = process.env.STRATOS_CHROMIUM ?? '/usr/bin/chromium';
/** Where browser tests leave their screenshots (CI keeps the folder as an artifact). */
export const SCREENSHOTS = join(process.cwd(), '.stratos/screenshots');

/**
 * Why browser tests cannot run here, or null when they can. Without Chromium they are skipped,
 * unless STRATOS_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
 */
export function browserUnavailable(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const why = `no Chromium at ${CHROMIUM}: run scripts/ci/install-system-deps.sh`;
  if (process.env.STRATOS_REQUIRE_BROWSER === '1') throw new Error(why);
  return why;
}

/** Launches headless Chromium with the flags this sandbox needs. */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
