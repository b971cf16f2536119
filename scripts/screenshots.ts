// Every screen of the web client, in English and Turkish, at desktop width and 420 px,
// for a person to look at: the built client (`npm run build`) served by a real server
// on loopback, two partners per language in headless Debian Chromium with fake devices.
//
//   npm run build && npx tsx scripts/screenshots.ts [--out DIR]    (default: test-results/screens)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright';
import {
  launchBrowser,
  openDevice,
  PASSWORD,
  register,
  startWebServer,
  takeUnexpectedErrors,
  until,
  type Device,
} from '../tests/e2e-web/helpers';

const args = process.argv.slice(2);
const OUT = args[args.indexOf('--out') + 1] && args.includes('--out') ? (args[args.indexOf('--out') + 1] as string) : join(process.cwd(), 'test-results/screens');
const DESKTOP = { width: 1200, height: 760 };
const NARROW = { width: 420, height: 860 };

async function shoot(page: Page, name: string): Promise<void> {
  for (const [suffix, size] of [
    ['desktop', DESKTOP],
    ['420', NARROW],
  ] as const) {
    await page.setViewportSize(size);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.screenshot({ path: join(OUT, `${name}-${suffix}.png`) });
  }
  await page.setViewportSize(DESKTOP);
}

const dismissEnded = async (device: Device): Promise<void> => {
  const ok = device.page.getByTestId('call-ended-ok');
  await ok.waitFor({ timeout: 15_000 });
  await ok.click();
};

async function screensFor(language: 'en' | 'tr', serverUrl: string, browser: Awaited<ReturnType<typeof launchBrowser>>): Promise<string[]> {
  const locale = language === 'en' ? 'en-US' : 'tr-TR';
  const [callerName, calleeName] = language === 'en' ? ['Alice', 'Bob'] : ['Ayşe', 'Deniz'];
  const a = await openDevice(browser, serverUrl, `${language}-caller`, locale);
  const b = await openDevice(browser, serverUrl, `${language}-callee`, locale);
  const s = (name: string): string => `${name}-${language}`;

  await a.page.getByTestId('auth-screen').waitFor();
  await shoot(a.page, s('01-login'));
  await a.page.getByTestId('auth-toggle').click();
  await a.page.getByTestId('auth-username').fill(`${language}caller`);
  await a.page.getByTestId('auth-password').fill(PASSWORD);
  await a.page.getByTestId('auth-displayname').fill(callerName);
  await shoot(a.page, s('02-register'));
  await a.page.getByTestId('auth-submit').click();
  await a.page.getByTestId('home').waitFor();
  await b.page.getByTestId('auth-screen').waitFor();
  await register(b.page, `${language}callee`, calleeName);

  await a.page.getByTestId('pair-create').click();
  await a.page.getByTestId('pair-code').waitFor();
  await shoot(a.page, s('03-pairing'));
  const code = (await a.page.getByTestId('pair-code').textContent())?.trim() ?? '';
  await b.page.getByTestId('pair-input').fill(code);
  await b.page.getByTestId('pair-submit').click();
  for (const device of [a, b]) await until(() => device.page.getByTestId('partner-presence').getAttribute('data-presence').catch(() => null), (p) => p === 'online');
  await a.page.getByTestId('pairing-notice').waitFor();
  await shoot(a.page, s('04-paired-notice'));
  for (const device of [a, b]) await device.page.getByTestId('pairing-notice-close').click();
  await shoot(a.page, s('05-home'));

  // Two rings nobody answers: missed calls, grouped.
  for (let i = 0; i < 2; i++) {
    await a.page.getByTestId('call-voice').click();
    await b.page.getByTestId('call-incoming').waitFor();
    await b.page.getByTestId('call-incoming').waitFor({ state: 'detached', timeout: 25_000 });
    await dismissEnded(a);
    await b.page.getByTestId('call-ended-ok').click({ timeout: 2000 }).catch(() => undefined);
  }
  await until(() => b.page.getByTestId('missed-group').first().getAttribute('data-count').catch(() => null), (c) => c === '2');
  await shoot(b.page, s('06-missed-groups'));

  // A video call: calling/ringing, the incoming dialog, in call with signal bars, then details.
  await a.page.getByTestId('call-video').click();
  await b.page.getByTestId('call-incoming').waitFor();
  await a.page.getByTestId('call-outgoing').waitFor();
  await shoot(a.page, s('07-ringing'));
  await shoot(b.page, s('08-incoming-call'));
  await b.page.getByTestId('answer-video').click();
  for (const device of [a, b]) await device.page.locator('[data-testid="call-active"][data-state="active"]').waitFor({ timeout: 20_000 });
  await b.page.getByTestId('call-quality').waitFor({ timeout: 15_000 });
  await shoot(b.page, s('09-in-call'));
  await b.page.getByTestId('call-quality').click();
  await b.page.getByTestId('quality-details').waitFor();
  await shoot(b.page, s('10-in-call-details'));
  await a.page.getByTestId('share-screen').click();
  await a.page.getByTestId('share-banner-mine').waitFor();
  await b.page.getByTestId('share-banner-partner').waitFor();
  await shoot(a.page, s('11-sharing-mine'));
  await shoot(b.page, s('12-sharing-partner'));
  // Recording: the partner's consent request, the indicator on both sides, then a stop.
  await a.page.getByTestId('recording-request').click();
  await b.page.getByTestId('recording-request-dialog').waitFor();
  await shoot(b.page, s('12a-recording-request'));
  await b.page.getByTestId('recording-accept').click();
  for (const device of [a, b]) await device.page.locator('[data-testid="recording-indicator"][data-state="on"]').waitFor();
  await shoot(a.page, s('12b-recording-on'));
  await a.page.getByTestId('recording-stop').click();
  await b.page.locator('[data-testid="recording-notice"][data-kind="stopped"]').waitFor();
  await shoot(b.page, s('12c-recording-stopped'));
  await a.page.getByTestId('hangup').click();
  await Promise.all([dismissEnded(a), dismissEnded(b)]);

  // History (on the home screen), then settings, then offline.
  await b.page.getByTestId('history').waitFor();
  await shoot(b.page, s('13-home-history'));
  await b.page.getByTestId('open-settings').click();
  await b.page.getByTestId('settings-close').waitFor();
  await shoot(b.page, s('14-settings'));
  await b.page.getByTestId('settings-close').click();
  await b.context.setOffline(true);
  await until(() => b.page.getByTestId('partner-presence').getAttribute('data-presence'), (p) => p === 'unknown', 20_000);
  await b.page.getByTestId('offline-banner').waitFor();
  await shoot(b.page, s('15-offline'));
  await b.context.setOffline(false);
  await until(() => b.page.getByTestId('partner-presence').getAttribute('data-presence'), (p) => p === 'online', 20_000);

  // A second tab of the same browser follows the first, and can answer a ring there.
  const second = await b.context.newPage();
  await second.goto(serverUrl);
  await second.getByTestId('follower-tab').waitFor();
  await a.page.getByTestId('call-voice').click();
  await until(() => second.getByTestId('follower-tab').getAttribute('data-leader-call'), (c) => c === 'incoming');
  await shoot(second, s('16-other-tab-ringing'));
  await a.page.getByTestId('call-cancel').click();
  await dismissEnded(a);
  await second.close();

  const errors = takeUnexpectedErrors([a, b]).filter((e) => !/WebSocket|ERR_INTERNET_DISCONNECTED|net::/.test(e));
  await a.context.close();
  await b.context.close();
  return errors;
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  // Rings long enough for four screenshots on a busy machine, short enough to leave missed calls quickly.
  const server = await startWebServer({ RING_TIMEOUT_MS: '10000' });
  const browser = await launchBrowser();
  try {
    const errors = [...(await screensFor('en', server.url, browser)), ...(await screensFor('tr', server.url, browser))];
    console.log(`screens written to ${OUT}`);
    if (errors.length) {
      console.error(`page errors:\n${errors.join('\n')}`);
      process.exitCode = 1;
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
