/**
 * Opens a page in the system's headless Chromium (Debian package `chromium`) through playwright-core,
 * for tests that check self-contained HTML really renders. The flags keep Chromium off the network:
 * on a closed machine its background services would otherwise flood refused connections.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const CHROMIUM_PATH = "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Why a Chromium test skips when the browser is missing. */
export const CHROMIUM_MISSING_MESSAGE =
  "Chromium not found at /usr/bin/chromium: install the Debian package `chromium` (apt-get install -y chromium)";

export interface OpenedPage {
  /** console messages of type "error" seen so far */
  readonly consoleErrors: string[];
  /** uncaught exceptions thrown by the page so far */
  readonly pageErrors: string[];
  /** every URL the page requested so far (the page itself included) */
  readonly requests: string[];
  /** evaluates a JavaScript expression (or function source) in the page */
  evaluate<T>(fn: string): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  readonly screenshotPath?: string;
  readonly waitForSelector?: string;
  readonly timeoutMs?: number;
}

/** The Chromium executable, or null when it is not installed. */
export function chromiumPath(): string | null {
  return existsSync(CHROMIUM_PATH) ? CHROMIUM_PATH : null;
}

/**
 * Launches Chromium with a fresh temporary profile, opens `url`, waits for `waitForSelector` (if
 * given), takes a full-page screenshot (if asked), and returns the collected errors and an evaluator.
 * close() ends the browser and removes the profile.
 */
export async function openInChromium(url: string, options: OpenOptions = {}): Promise<OpenedPage> {
  const executablePath = chromiumPath();
  if (executablePath === null) throw new Error(CHROMIUM_MISSING_MESSAGE);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const userDataDir = await mkdtemp(join(tmpdir(), "starling-chromium-"));
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const requests: string[] = [];
  let context: Awaited<ReturnType<typeof chromium.launchPersistentContext>> | undefined;
  const close = async (): Promise<void> => {
    try {
      await context?.close();
    } finally {
      await rm(userDataDir, { recursive: true, force: true });
    }
  };
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: timeoutMs,
      viewport: { width: 1280, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(timeoutMs);
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => {
      pageErrors.push(error.message);
    });
    page.on("request", (request) => {
      requests.push(request.url());
    });
    await page.goto(url, { timeout: timeoutMs, waitUntil: "load" });
    if (options.waitForSelector !== undefined) {
      await page.waitForSelector(options.waitForSelector, { timeout: timeoutMs });
    }
    if (options.screenshotPath !== undefined) {
      await page.screenshot({ path: options.screenshotPath, fullPage: true });
    }
    return {
      consoleErrors,
      pageErrors,
      requests,
      evaluate: <T>(fn: string): Promise<T> => page.evaluate(fn) as Promise<T>,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
