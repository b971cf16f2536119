// `npm run bench:netlab`: calls over the network lab (tests/network-lab/lab.ts; root),
// Heartline as shipped next to the same client with its network mechanisms switched
// off in the page (RED not preferred, restartIce() a no-op), interleaved run by run:
//  - concealed audio (concealedSamples / totalSamplesReceived) at 10 % and 20 % random
//    loss on the callee's link;
//  - time from the link coming back (or the address changing) to the first new remote
//    video frame and to audio flowing again, after a 5 s cut, a 40 s cut (longer than
//    ICE's failure timeout) and an address change on the direct path and on the
//    relay-only path through coturn;
//  - the video ladder under caps of 1 Mbit/s, 250 kbit/s and 80 kbit/s on the callee's
//    link: time until the sender settles on what the link carries, video freezes and
//    concealed audio at the partner meanwhile, and time back to full video once lifted
//    (the baseline's setParameters() is a no-op: it sends as the browser alone decides).
//
//   npx tsx bench/network-lab.ts              # 3 runs per variant, every scenario
//   npx tsx bench/network-lab.ts --runs 5
//   npx tsx bench/network-lab.ts --only switch,cut40   # some scenarios: loss, caps, cut5, cut40, switch
//   npx tsx bench/network-lab.ts --only caps --trace   # and print each change of the sender's setting
import { fmt, numArg, parseArgs, type Row } from './lib/common';
import { labAvailable } from '../tests/network-lab/lab';
import { audioReceipt, concealedShare, openLabWorld, videoCall, videoSending, type LabCouple, type LabDevice, type LabWorld } from '../tests/network-lab/lab-call';
import { until } from '../tests/e2e-web/helpers';

/** Six seconds of audio at 48 kHz per loss level. */
const LISTEN_SAMPLES = 6 * 48_000;
const CUT_MS = 5_000;
/** Longer than ICE's failure timeout: the connection is rebuilt (the bench's server allows a longer reconnect deadline, see main()). */
const LONG_CUT_MS = 40_000;
/** Past this, a recovery counts as "none". */
const RECOVERY_LIMIT_MS = 30_000;
const SCENARIOS = ['loss', 'caps', 'cut5', 'cut40', 'switch'] as const;
type Scenario = (typeof SCENARIOS)[number];

// The baseline: the same client, with RED left where the browser puts it and no ICE restart.
const MECHANISMS_OFF = `(() => {
  RTCRtpTransceiver.prototype.setCodecPreferences = function () {};
  RTCPeerConnection.prototype.restartIce = function () {};
  RTCRtpSender.prototype.setParameters = function () { return Promise.resolve(); };
})();`;
const CAPS_KBPS = [1000, 250, 80] as const;
/** How long each cap is held while the partner's experience is measured. */
const CAP_HOLD_MS = 20_000;

type Variant = 'heartline' | 'baseline';
type CapMetric = `cap${(typeof CAPS_KBPS)[number]}${'Settle' | 'Freeze' | 'Concealed'}`;
type Metric = 'concealed10' | 'concealed20' | 'cut5Video' | 'cut5Audio' | 'cut40Video' | 'cut40Audio' | 'switchDirectVideo' | 'switchDirectAudio' | 'switchRelayVideo' | 'switchRelayAudio' | CapMetric | 'capLiftedFull';

const results = new Map<string, number[]>();
/** --trace: print every change of the sender's setting under a cap (what the ladder did, and when). */
let trace = false;
const record = (variant: Variant, metric: Metric, value: number): void => {
  const key = `${variant}:${metric}`;
  results.set(key, [...(results.get(key) ?? []), value]);
  console.log(`  ${variant} ${metric}: ${fmt(value)}`);
};

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function concealedAt(device: LabDevice, loss: number): Promise<number> {
  device.node.loss(loss);
  try {
    const before = await audioReceipt(device);
    const after = await until(() => audioReceipt(device), (now) => now.totalSamplesReceived - before.totalSamplesReceived >= LISTEN_SAMPLES, 30_000, 250);
    return concealedShare(before, after) * 100;
  } finally {
    device.node.loss(0);
  }
}

/**
 * Date.now() in the page when remote video frames and audio bytes flow again after the
 * media stalled (both still for 400 ms), polled every 20 ms in the page itself and
 * following a rebuilt connection. When `stalled` is false and media never stalls within
 * 3 s, the impairment cost nothing: both times are the start.
 */
async function mediaBackAt(device: LabDevice, stalled: boolean): Promise<{ video: number | null; audio: number | null }> {
  return (await device.page.evaluate(`new Promise((resolve) => {
    const start = Date.now();
    const limit = start + ${RECOVERY_LIMIT_MS};
    const out = { video: null, audio: null };
    let stalledYet = ${stalled};
    let last = null;
    let videoMoved = start;
    let audioMoved = start;
    const read = async () => {
      const pc = [...(window.__heartlinePcs || [])].reverse().find((p) => p.connectionState !== 'closed');
      const now = { pc, frames: 0, bytes: 0 };
      if (pc) (await pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') now.frames += s.framesDecoded || 0;
        if (s.type === 'inbound-rtp' && s.kind === 'audio') now.bytes += s.bytesReceived || 0;
      });
      return now;
    };
    const tick = async () => {
      const now = await read();
      if (!last || last.pc !== now.pc) last = last ? { pc: now.pc, frames: 0, bytes: 0 } : now;
      const t = Date.now();
      const videoGrew = now.frames > last.frames;
      const audioGrew = now.bytes > last.bytes + 300;
      if (!stalledYet) {
        if (videoGrew) videoMoved = t;
        if (audioGrew) audioMoved = t;
        if (t - videoMoved > 400 && t - audioMoved > 400) stalledYet = true;
        else if (t - start > 3000) return resolve({ video: start, audio: start });
      } else {
        if (out.video === null && videoGrew) out.video = t;
        if (out.audio === null && audioGrew) out.audio = t;
      }
      last = { pc: now.pc, frames: now.frames, bytes: audioGrew || !stalledYet ? now.bytes : last.bytes };
      if ((out.video !== null && out.audio !== null) || t > limit) return resolve(out);
      setTimeout(tick, 20);
    };
    tick();
  })`)) as { video: number | null; audio: number | null };
}

/** Runs `impair`, then measures from `from()` (Date.now() when the network is good again) on the partner. */
async function recovery(variant: Variant, watcher: LabDevice, impair: () => Promise<number>, metrics: [Metric, Metric], stalled: boolean): Promise<void> {
  const restoredAt = await impair();
  const back = await mediaBackAt(watcher, stalled);
  record(variant, metrics[0], back.video ? back.video - restoredAt : Number.POSITIVE_INFINITY);
  record(variant, metrics[1], back.audio ? back.audio - restoredAt : Number.POSITIVE_INFINITY);
  // Let the call settle (or fail over) before the next impairment.
  await until(() => mediaBackAt(watcher, false), (b) => b.video !== null, RECOVERY_LIMIT_MS * 2, 0).catch(() => undefined);
}

/** Seconds of frozen remote video (freezes as the receiver counts them) so far. */
async function freezeSeconds(device: LabDevice): Promise<number> {
  return (await device.page.evaluate(`(async () => {
    const pc = [...(window.__heartlinePcs || [])].reverse().find((p) => p.connectionState !== 'closed');
    let total = 0;
    if (pc) (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') total += s.totalFreezesDuration || 0; });
    return total;
  })()`)) as number;
}

/** Bob's link capped step by step; Alice is the partner who watches and listens. */
async function capSteps(variant: Variant, { alice, bob }: LabCouple): Promise<void> {
  try {
    for (const kbps of CAPS_KBPS) {
      const frozenBefore = await freezeSeconds(alice);
      const heardBefore = await audioReceipt(alice);
      const cappedAt = Date.now();
      bob.node.cap(kbps);
      // Settled: the last time the sender's setting (rung or pause) changed under this cap.
      let settledAt = cappedAt;
      let previous = JSON.stringify(await videoSending(bob));
      while (Date.now() - cappedAt < CAP_HOLD_MS) {
        await pause(250);
        const now = JSON.stringify(await videoSending(bob));
        if (now !== previous) {
          settledAt = Date.now();
          if (trace) console.log(`    ${variant} cap ${kbps}: +${settledAt - cappedAt} ms ${now}`);
        }
        previous = now;
      }
      record(variant, `cap${kbps}Settle`, settledAt - cappedAt);
      record(variant, `cap${kbps}Freeze`, (await freezeSeconds(alice)) - frozenBefore);
      record(variant, `cap${kbps}Concealed`, concealedShare(heardBefore, await audioReceipt(alice)) * 100);
    }
  } finally {
    bob.node.cap(null);
  }
  const liftedAt = Date.now();
  const full = await until(() => videoSending(bob), (v) => v.active && (v.maxBitrate === null || v.maxBitrate >= 1_500_000) && (v.scaleResolutionDownBy ?? 1) === 1, LIFT_LIMIT_MS, 250).then(
    () => Date.now() - liftedAt,
    () => Number.POSITIVE_INFINITY,
  );
  record(variant, 'capLiftedFull', full);
}

async function directRun(world: LabWorld, variant: Variant, only: ReadonlySet<Scenario>): Promise<void> {
  const couple: LabCouple = await world.openCouple(variant === 'baseline' ? { initScript: MECHANISMS_OFF } : {});
  try {
    await videoCall(couple);
    const { alice, bob } = couple;
    if (only.has('loss')) {
      record(variant, 'concealed10', await concealedAt(bob, 0.1));
      record(variant, 'concealed20', await concealedAt(bob, 0.2));
    }
    if (only.has('caps')) await capSteps(variant, couple);
    const cutFor = (ms: number) => async (): Promise<number> => {
      bob.node.cut();
      await pause(ms);
      bob.node.restore();
      return Date.now();
    };
    if (only.has('cut5')) await recovery(variant, alice, cutFor(CUT_MS), ['cut5Video', 'cut5Audio'], true);
    if (only.has('cut40')) await recovery(variant, alice, cutFor(LONG_CUT_MS), ['cut40Video', 'cut40Audio'], true);
    if (only.has('switch')) {
      await recovery(
        variant,
        alice,
        async () => {
          bob.node.switchAddress();
          return Date.now();
        },
        ['switchDirectVideo', 'switchDirectAudio'],
        false,
      );
    }
  } finally {
    await couple.close();
  }
}

async function relayRun(world: LabWorld, variant: Variant): Promise<void> {
  const couple = await world.openCouple({ relayOnly: true, ...(variant === 'baseline' ? { initScript: MECHANISMS_OFF } : {}) });
  try {
    await videoCall(couple);
    await recovery(
      variant,
      couple.alice,
      async () => {
        couple.bob.node.switchAddress();
        return Date.now();
      },
      ['switchRelayVideo', 'switchRelayAudio'],
      false,
    );
  } finally {
    await couple.close();
  }
}

/** How long the bench waits for full video after a cap is lifted. */
const LIFT_LIMIT_MS = 60_000;

function cell(sample: readonly number[], unit: string, limitMs = RECOVERY_LIMIT_MS): string {
  const finite = sample.filter(Number.isFinite).sort((a, b) => a - b);
  const none = sample.length - finite.length;
  if (finite.length === 0) return `none in ${limitMs / 1000} s (${sample.length}/${sample.length})`;
  const median = finite[Math.floor((finite.length - 1) / 2)] ?? Number.NaN;
  const spread = `${fmt(finite[0] ?? Number.NaN)}–${fmt(finite[finite.length - 1] ?? Number.NaN)}`;
  return `${fmt(median)} ${unit} [${spread}]${none ? `, none in ${limitMs / 1000} s ${none}/${sample.length}` : ''}`;
}

function medianOf(sample: readonly number[]): number {
  const finite = sample.filter(Number.isFinite).sort((a, b) => a - b);
  return finite[Math.floor((finite.length - 1) / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const args = parseArgs();
  const runs = numArg(args, 'runs', 3);
  trace = args.has('trace');
  const only = new Set((args.get('only') ?? SCENARIOS.join(',')).split(',') as Scenario[]);
  const unknown = [...only].filter((name) => !SCENARIOS.includes(name));
  if (unknown.length) throw new Error(`--only takes ${SCENARIOS.join(', ')}; not ${unknown.join(', ')}`);
  const available = labAvailable();
  if (!available.ok) {
    console.log(`skipped: ${available.reason}`);
    return;
  }
  // The deadline and the server's grace stay the product's (30 s), except for the 40 s cut,
  // which is meant to be survived: there both are 60 s (the mechanism is the same).
  const deadline = only.has('cut40') ? '60000' : '30000';
  const world = await openLabWorld({ CALL_GRACE_MS: deadline, CALL_RECONNECT_DEADLINE_MS: deadline });
  try {
    for (let run = 1; run <= runs; run++) {
      // Interleaved: which variant goes first alternates, so drift on the shared machine hits both.
      const order: Variant[] = run % 2 ? ['heartline', 'baseline'] : ['baseline', 'heartline'];
      for (const variant of order) {
        console.log(`run ${run}/${runs}, ${variant}: direct path`);
        await directRun(world, variant, only);
        if (!only.has('switch')) continue;
        console.log(`run ${run}/${runs}, ${variant}: relay-only path`);
        await relayRun(world, variant);
      }
    }
  } finally {
    await world.close();
  }

  const get = (variant: Variant, metric: Metric): number[] => results.get(`${variant}:${metric}`) ?? [];
  const rows: Array<Row & { metric: string }> = [];
  const add = (metric: Metric, label: string, unit: string, target: string): void => {
    const ours = get('heartline', metric);
    const other = get('baseline', metric);
    if (ours.length + other.length === 0) return; // scenario not run
    const ratio = medianOf(other) > 0 && Number.isFinite(medianOf(ours)) ? `${fmt(medianOf(ours) / medianOf(other))}×` : '-';
    const limit = metric === 'capLiftedFull' ? LIFT_LIMIT_MS : RECOVERY_LIMIT_MS;
    rows.push({ metric: label, ours: cell(ours, unit, limit), other: cell(other, unit, limit), ratio, target });
  };
  add('concealed10', 'concealed audio at 10 % loss', '%', '');
  add('concealed20', 'concealed audio at 20 % loss', '%', '< 5 %, ≥ 2× better');
  add('cut5Video', 'after a 5 s cut: first remote video frame', 'ms', '< 2 s');
  add('cut5Audio', 'after a 5 s cut: audio flowing', 'ms', '< 2 s');
  add('cut40Video', `after a ${LONG_CUT_MS / 1000} s cut: first remote video frame`, 'ms', '');
  add('cut40Audio', `after a ${LONG_CUT_MS / 1000} s cut: audio flowing`, 'ms', '');
  add('switchDirectVideo', 'address change, direct: first video frame', 'ms', '< 3 s');
  add('switchDirectAudio', 'address change, direct: audio flowing', 'ms', '< 3 s');
  add('switchRelayVideo', 'address change, relay only: first video frame', 'ms', '< 3 s');
  add('switchRelayAudio', 'address change, relay only: audio flowing', 'ms', '< 3 s');
  for (const kbps of CAPS_KBPS) {
    add(`cap${kbps}Settle`, `cap ${kbps} kbit/s: sender's last change of rung`, 'ms', '');
    add(`cap${kbps}Freeze`, `cap ${kbps} kbit/s: partner's video frozen in ${CAP_HOLD_MS / 1000} s`, 's', '');
    add(`cap${kbps}Concealed`, `cap ${kbps} kbit/s: partner's audio concealed`, '%', '');
  }
  add('capLiftedFull', 'cap lifted: back to full video', 'ms', '');

  const header = ['metric', 'Heartline (median [min–max])', 'RED off, no ICE restart', 'ratio', 'target'];
  const body = rows.map((r) => [r.metric, r.ours, r.other, r.ratio, r.target ?? '']);
  console.log(
    [
      `### Network lab: ${runs} interleaved runs per variant`,
      '',
      `| ${header.join(' | ')} |`,
      `|${header.map(() => '---').join('|')}|`,
      ...body.map((cells) => `| ${cells.join(' | ')} |`),
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
