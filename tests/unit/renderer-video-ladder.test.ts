import { describe, expect, it } from 'vitest';
import { appliedRung, AUDIO_RESERVE_BPS, initialLadder, nextLadder, rungFor, VIDEO_LADDER, videoBudget, type LadderInput, type LadderState } from '../../src-renderer/webrtc/video-ladder';

const link = (kbps: number, remoteLossPct = 0): LadderInput => ({ availableOutBps: kbps * 1000, remoteLossPct });
const feed = (state: LadderState, input: LadderInput, times: number): LadderState => {
  let next = state;
  for (let i = 0; i < times; i++) next = nextLadder(next, input);
  return next;
};
const lowest = VIDEO_LADDER.length - 1;

describe('video ladder on a thin link', () => {
  it('keeps room for the voice and plans on less when the partner reports heavy loss', () => {
    expect(videoBudget(link(1000))).toBe(1000_000 * 0.85 - AUDIO_RESERVE_BPS);
    expect(videoBudget(link(1000, 12))).toBeLessThan(videoBudget(link(1000, 0)) ?? 0);
    expect(videoBudget({ availableOutBps: null, remoteLossPct: 0 })).toBeNull();
    expect(rungFor(2_000_000)).toBe(0);
    expect(rungFor(50_000)).toBe(-1);
  });

  it('steps down at once when the link is capped (1 Mbit/s, then 250 kbit/s)', () => {
    const at1M = nextLadder(initialLadder, link(1000));
    expect(VIDEO_LADDER[at1M.rung]?.maxBitrate).toBeLessThanOrEqual(1_000_000 * 0.85);
    expect(at1M.audioOnly).toBe(false);
    const at250k = nextLadder(at1M, link(250));
    expect(at250k.rung).toBeGreaterThan(at1M.rung);
    expect(at250k.audioOnly).toBe(false);
  });

  it('pauses video when not even the lowest rung fits (80 kbit/s), after two samples, not one', () => {
    const once = nextLadder(initialLadder, link(80));
    expect(once).toMatchObject({ audioOnly: false, rung: lowest });
    expect(nextLadder(once, link(80))).toMatchObject({ audioOnly: true });
  });

  it('brings video back when the cap lifts, one rung at a time', () => {
    let state = feed(initialLadder, link(80), 2);
    expect(state.audioOnly).toBe(true);
    state = feed(state, link(5000), 3);
    expect(state).toMatchObject({ audioOnly: false, rung: lowest });
    // Lots of room: the first step after two samples, then a rung per sample, never two at once.
    state = nextLadder(state, link(5000));
    expect(state.rung).toBe(lowest);
    const rungs: number[] = [];
    for (let i = 0; i < lowest + 2; i++) {
      state = nextLadder(state, link(5000));
      rungs.push(state.rung);
    }
    expect(rungs).toEqual([lowest - 1, lowest - 2, lowest - 3, 0, 0, 0]);
  });

  it('climbs slowly (three samples a rung) when the estimate has little room above the next rung', () => {
    const at400k = feed(initialLadder, link(600), 1);
    expect(VIDEO_LADDER[at400k.rung]?.maxBitrate).toBe(400_000);
    // 1.1 Mbit/s carries the 800 kbit/s rung, not the full one.
    const twice = feed(at400k, link(1100), 2);
    expect(twice.rung).toBe(at400k.rung);
    expect(nextLadder(twice, link(1100)).rung).toBe(at400k.rung - 1);
  });

  it('does not oscillate under a cap whose estimate wobbles (250 kbit/s ± 40 %): tries up now and then, each failed try waits twice as long', () => {
    let state = feed(initialLadder, link(250), 2);
    const settled = state.rung;
    const tries: number[] = [];
    for (let i = 0; i < 60; i++) {
      const previous = state.rung;
      state = nextLadder(state, link(250 * (i % 2 ? 1.4 : 0.8)));
      if (state.rung < previous) tries.push(i);
      expect(state.rung).toBeGreaterThanOrEqual(settled - 1);
    }
    expect(state.audioOnly).toBe(false);
    // Tries at growing intervals: 3, then 6, 12, 24 samples of waiting.
    expect(tries.length).toBeGreaterThan(0);
    expect(tries.length).toBeLessThanOrEqual(4);
    const gaps = tries.slice(1).map((at, k) => at - (tries[k] ?? 0));
    expect(gaps).toEqual([...gaps].sort((a, b) => a - b));
  });

  it('after a cap is lifted, climbs back to full video although the estimate only follows what the sender is allowed to send', () => {
    // Chromium's estimate stays near the sender's cap (it probes when the cap is raised):
    // modelled as 1.2 × (the rung's bitrate + the voice), on a link that carries 5 Mbit/s.
    const estimateFor = (state: LadderState): LadderInput => link((1.2 * ((VIDEO_LADDER[state.rung]?.maxBitrate ?? 0) + AUDIO_RESERVE_BPS)) / 1000);
    let state = feed(initialLadder, link(600), 1);
    expect(VIDEO_LADDER[state.rung]?.maxBitrate).toBe(400_000);
    const rungs: number[] = [];
    for (let i = 0; i < 20 && state.rung > 0; i++) {
      state = nextLadder(state, estimateFor(state));
      rungs.push(state.rung);
    }
    expect(state.rung).toBe(0);
    // One rung at a time, never down on the way.
    expect(rungs).toEqual([...rungs].sort((a, b) => b - a));
    // And it stays there.
    expect(feed(state, estimateFor(state), 20).rung).toBe(0);
  });

  it('a try that brings loss ends at once, back on the rung that held (or below, as the loss asks)', () => {
    let state = feed(initialLadder, link(600), 1);
    const held = state.rung;
    for (let i = 0; i < 10 && state.rung === held; i++) state = nextLadder(state, link(600));
    expect(state.rung).toBe(held - 1);
    state = nextLadder(state, link(600, 6));
    expect(state.rung).toBeGreaterThanOrEqual(held);
    expect(state.trial).toBe(0);
  });

  it('a single good sample does not climb (no flapping)', () => {
    const capped = nextLadder(initialLadder, link(300));
    const bumpy = nextLadder(nextLadder(capped, link(5000)), link(300));
    expect(bumpy.rung).toBe(capped.rung);
  });

  it('probes video from audio only, and waits twice as long after a probe that fails', () => {
    let state = feed(initialLadder, link(80), 2);
    const firstWait = state.probeWait;
    state = feed(state, link(80), firstWait);
    expect(state).toMatchObject({ audioOnly: false, probing: true });
    state = feed(state, link(80), 2);
    expect(state).toMatchObject({ audioOnly: true, probeWait: firstWait * 2 });
    // Nothing is decided without an estimate.
    expect(nextLadder(state, { availableOutBps: null, remoteLossPct: 0 })).toBe(state);
  });

  it('a try raises only the bitrate cap; the picture gets sharper only once the estimate has followed', () => {
    let state = feed(initialLadder, link(600), 1);
    const held = state.rung;
    const from = VIDEO_LADDER[held];
    while (state.rung === held) state = nextLadder(state, link(600));
    const next = VIDEO_LADDER[held - 1];
    // On trial: the next rung's bitrate at the resolution that held (no new key frame yet).
    expect(appliedRung(state)).toEqual({ maxBitrate: next?.maxBitrate, scaleResolutionDownBy: from?.scaleResolutionDownBy });
    // The estimate follows for two samples: the rung is kept, with its own resolution.
    state = feed(state, link(1100), 2);
    expect(state.trial).toBe(0);
    expect(appliedRung(state)).toEqual(next);
  });

  it('a try ends at once when the round-trip time climbs (a queue filling up), without waiting for loss', () => {
    const at = (kbps: number, rttMs: number): LadderInput => ({ ...link(kbps), rttMs });
    let state = nextLadder(initialLadder, at(600, 40));
    const held = state.rung;
    while (state.rung === held) state = nextLadder(state, at(600, 40));
    expect(state.trial).toBeGreaterThan(0);
    state = nextLadder(state, at(600, 160));
    expect(state).toMatchObject({ rung: held, trial: 0 });
    expect(appliedRung(state)).toEqual(VIDEO_LADDER[held]);
    // A few milliseconds of jitter are not a queue: the next try runs its course.
    while (state.rung === held) state = nextLadder(state, at(600, 40));
    state = nextLadder(state, at(600, 70));
    expect(state.trial).toBeGreaterThan(0);
  });

  it('a try that never sees the estimate follow gives up after a few samples and waits twice as long to try that rung again', () => {
    let state = feed(initialLadder, link(600), 1);
    const held = state.rung;
    const samplesBetweenTries: number[] = [];
    let since = 0;
    for (let i = 0; i < 80 && samplesBetweenTries.length < 4; i++) {
      const before = state.trial ?? 0;
      state = nextLadder(state, link(600));
      since++;
      if (before === 0 && (state.trial ?? 0) > 0) {
        samplesBetweenTries.push(since);
        since = 0;
      }
      expect(state.rung).toBeGreaterThanOrEqual(held - 1);
    }
    expect(samplesBetweenTries.length).toBe(4);
    const waits = samplesBetweenTries.slice(1);
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
    expect(waits[2]).toBeGreaterThan(waits[0] ?? 0);
  });

  it('after a long spell under a cap (failed tries, then audio only), full video is back within a minute of samples once the cap lifts', () => {
    // Chromium's estimate follows what the sender is allowed to send (it probes when the
    // cap rises): 1.2 × (the applied cap + the voice), and only the voice in audio only.
    const unlimited = (state: LadderState): LadderInput => {
      const rung = appliedRung(state);
      return link((1.2 * ((rung?.maxBitrate ?? 0) + AUDIO_RESERVE_BPS)) / 1000);
    };
    let state = feed(initialLadder, link(250), 2);
    state = feed(state, link(250), 60);
    expect(state.failedRung).toBeDefined();
    state = feed(state, link(80), 30);
    expect(state.audioOnly).toBe(true);
    let samples = 0;
    while (!(state.rung === 0 && !state.audioOnly && (state.trial ?? 0) === 0) && samples < 200) {
      state = nextLadder(state, unlimited(state));
      samples++;
    }
    expect(appliedRung(state)).toEqual(VIDEO_LADDER[0]);
    // At two seconds a sample: back to full video in at most a minute (probe wait included).
    expect(samples).toBeLessThanOrEqual(30);
  });

  it('loss alone does not pause video: the lowest rung stays while the estimate carries it without the loss', () => {
    // 250 kbit/s with the loss of a step down: the lowest rung, not audio only.
    const lossy = feed(initialLadder, link(220, 12), 5);
    expect(lossy).toMatchObject({ audioOnly: false, rung: lowest });
    // An estimate that cannot carry it even without loss pauses as before.
    expect(feed(lossy, link(150, 12), 2).audioOnly).toBe(true);
  });
});
