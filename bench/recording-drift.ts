// Audio/video drift in a call recording: two Chromiums (their own fake camera, and a
// tone each as microphone) in a video call through a real Heartline server; one asks
// to record, the other accepts; after SECONDS of recording the page presses stop and
// the WebM it offers is read with ffprobe. Drift = where the audio stream ends minus
// where the video stream ends (their last packet's end), plus each stream's start.
//
//   npm run build && npx tsx bench/recording-drift.ts            # 60 s
//   options: --seconds N
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Download } from 'playwright';
import { writeToneWav } from '../tests/support/audio-analysis';
import { CHROMIUM, CHROMIUM_ARGS, openDevice, pairDevices, register, startWebServer, type Device } from '../tests/e2e-web/helpers';

interface StreamSpan {
  kind: string;
  startSec: number;
  endSec: number;
  packets: number;
}

/** First packet start and last packet end of each stream, from ffprobe. */
export function streamSpans(file: string): StreamSpan[] {
  const kinds = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=index,codec_type', '-of', 'csv=p=0', file], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.split(','));
  const packets = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'packet=stream_index,pts_time,duration_time', '-of', 'csv=p=0', file], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  })
    .trim()
    .split('\n');
  const spans = new Map<string, StreamSpan>();
  for (const line of packets) {
    const [index, pts, duration] = line.split(',');
    const kind = kinds.find(([i]) => i === index)?.[1] ?? `stream ${index}`;
    const start = Number(pts);
    if (!Number.isFinite(start)) continue;
    const end = start + (Number(duration) || 0);
    const span = spans.get(kind) ?? { kind, startSec: start, endSec: end, packets: 0 };
    span.startSec = Math.min(span.startSec, start);
    span.endSec = Math.max(span.endSec, end);
    span.packets += 1;
    spans.set(kind, span);
  }
  return [...spans.values()];
}

async function main(): Promise<void> {
  const secondsArg = process.argv.indexOf('--seconds');
  const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 60;
  const dir = mkdtempSync(join(tmpdir(), 'heartline-drift-'));
  const server = await startWebServer();
  const browsers: Browser[] = [];
  const open = async (name: string, hz: number): Promise<Device> => {
    const wav = join(dir, `${name}.wav`);
    writeToneWav(wav, hz, seconds + 120);
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required', `--use-file-for-fake-audio-capture=${wav}`] });
    browsers.push(browser);
    return openDevice(browser, server.url, name, 'en-US');
  };
  try {
    const alice = await open('alice', 440);
    const bob = await open('bob', 880);
    await register(alice.page, 'alice', 'Alice');
    await register(bob.page, 'bob', 'Bob');
    await pairDevices(alice, bob, 'Alice', 'Bob');
    await alice.page.getByTestId('call-video').click();
    await bob.page.getByTestId('answer-video').click();
    for (const device of [alice, bob]) await device.page.locator('[data-testid="call-active"][data-state="active"]').waitFor({ timeout: 60_000 });
    await alice.page.getByTestId('recording-request').click();
    await bob.page.getByTestId('recording-accept').click({ timeout: 60_000 });
    const download = new Promise<Download>((resolve) => alice.page.once('download', resolve));
    const target = new Date(seconds * 1000).toISOString().slice(14, 19);
    await alice.page.evaluate(`new Promise((resolve) => {
      const look = () => {
        const elapsed = document.querySelector('[data-testid="recording-elapsed"]');
        if (elapsed && elapsed.textContent >= '${target}') { document.querySelector('[data-testid="recording-stop"]').click(); return resolve(); }
        setTimeout(look, 20);
      };
      look();
    })`);
    const file = join(dir, 'recording.webm');
    await (await download).saveAs(file);
    const format = Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim());
    const spans = streamSpans(file);
    const audio = spans.find((s) => s.kind === 'audio');
    const video = spans.find((s) => s.kind === 'video');
    console.log(`recording of ${seconds} s (indicator), header duration ${format.toFixed(3)} s`);
    for (const span of spans) console.log(`  ${span.kind}: ${span.startSec.toFixed(3)} s .. ${span.endSec.toFixed(3)} s (${span.packets} packets)`);
    if (audio && video) {
      console.log(`  drift at the end (audio end - video end): ${((audio.endSec - video.endSec) * 1000).toFixed(0)} ms`);
      console.log(`  offset at the start (audio start - video start): ${((audio.startSec - video.startSec) * 1000).toFixed(0)} ms`);
    }
  } finally {
    for (const browser of browsers) await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
