import { defineConfig } from '@playwright/test';

/**
 * Daiko end-to-end tests.
 *
 * The server is started outside Playwright (with demo data) by the test script; point the
 * tests at it with DAIKO_BASE_URL. Browsers are never downloaded: Debian's Chromium is used
 * (override with CHROMIUM_PATH).
 */
export default defineConfig({
  testDir: 'tests',
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  workers: 2,
  retries: 0,
  reporter: 'list',
  use: {
    baseURL: process.env.DAIKO_BASE_URL || 'http://127.0.0.1:3000',
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    },
  },
  projects: [
    {
      name: 'pc',
      testIgnore: /clock\.spec\.ts/,
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
      },
    },
    {
      name: 'phone',
      testIgnore: /clock\.spec\.ts/,
      use: {
        browserName: 'chromium',
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      },
    },
    {
      // Moves the server's clock, so it runs alone, after the others; it sizes its own pages.
      name: 'clock',
      testMatch: /clock\.spec\.ts/,
      dependencies: ['pc', 'phone'],
      use: { browserName: 'chromium' },
    },
  ],
});
