// What video a thin link can carry. One rung per step of a ladder (bitrate cap and
// resolution scale for RTCRtpSender.setParameters); below the lowest rung, audio only,
// because a voice that breaks up is worse than no picture. Steps down at once when the
// sender's bandwidth estimate says so, steps up one rung at a time after it has said
// "more" for a while (faster, a rung per sample after two samples, when the budget is
// half as large again as the next rung: a cap was lifted, not an estimate wobbling at
// the edge of one), and from audio only probes the lowest rung now and then, since an
// audio-only call gives the estimator too little traffic to notice the cap lifted.
//
// The same holds on every rung: a sender limited to a rung's maxBitrate keeps the
// estimate near what it sends, so the next rung never "fits". After a while on a rung
// with little loss the ladder therefore tries the next rung up. A try raises only the
// bitrate cap (the browser probes the link when it rises) and keeps the resolution: a
// new resolution costs a key frame, the one thing a thin link cannot afford, so the
// picture changes only once the try has worked. The try works when the budget holds the
// new rung for two samples; it ends at once when the partner reports loss, the
// round-trip time climbs (a queue filling up) or the budget no longer holds the rung it
// came from. A failed try makes the next try at that rung wait twice as long; a try at a
// lower rung (after the link got worse and better again) starts from the short wait, and
// a try that worked makes the next one follow after a single steady sample (a lifted cap
// is climbed in a few samples per rung). Video back from audio only forgets failed tries.
// A rung is kept while the budget holds three quarters of it: a cap is a ceiling, not a
// target. Pure: samples in, state out; the call applies appliedRung() and unit tests drive it.

export interface Rung {
  /** RTCRtpEncodingParameters.maxBitrate, bits per second. */
  maxBitrate: number;
  /** RTCRtpEncodingParameters.scaleResolutionDownBy (720p camera: 1 = 720p, 2 = 360p, 4 = 180p). */
  scaleResolutionDownBy: number;
}

export const VIDEO_LADDER: readonly Rung[] = [
  { maxBitrate: 1_500_000, scaleResolutionDownBy: 1 },
  { maxBitrate: 800_000, scaleResolutionDownBy: 1.5 },
  { maxBitrate: 400_000, scaleResolutionDownBy: 2 },
  { maxBitrate: 200_000, scaleResolutionDownBy: 3 },
  { maxBitrate: 100_000, scaleResolutionDownBy: 4 },
];

/** Kept free for the voice (Opus with RED and FEC, plus headers), bits per second. */
export const AUDIO_RESERVE_BPS = 70_000;
/** Share of the estimate we plan to use: the rest absorbs the estimate's error. */
const HEADROOM = 0.85;
/** Consecutive samples that must agree before a step up (or a probe from audio only succeeds). */
const SAMPLES_TO_CLIMB = 3;
/** A budget this many times the next rung's bitrate is clear room: two samples for the first step, then one per step. */
const CLEAR_ROOM = 1.5;
const SAMPLES_TO_CLIMB_WITH_ROOM = 2;
/** A rung is left (down) only when the budget is below this share of its bitrate. */
const HOLD = 0.75;
/** Samples on a rung, little loss, before trying the next one up; doubled after each failed try at that rung. */
const FIRST_UP_WAIT = 3;
/** After a try that worked the link had room: the next try follows after one steady sample. */
const UP_WAIT_AFTER_SUCCESS = 1;
const LONGEST_UP_WAIT = 16;
/** Samples a try may take for the estimate to follow the raised cap. */
const UP_TRIAL = 4;
/** Samples in a row, within a try, on which the budget must hold the tried rung. */
const TRIAL_HOLDS = 2;
/** Loss (reported by the partner, percent) that counts against a rung. */
const TRIAL_LOSS_PCT = 4;
/** A round-trip time this much above the try's start (ms, or half the start if more) means a queue is filling: the try ends. */
const TRIAL_RTT_RISE_MS = 60;
/** Consecutive samples below the lowest rung before video is paused. */
const SAMPLES_TO_PAUSE = 2;
/** Samples to wait in audio only before probing the lowest rung; doubled after each failed probe. */
const FIRST_PROBE_WAIT = 5;
const LONGEST_PROBE_WAIT = 20;

export interface LadderState {
  /** Index into VIDEO_LADDER; meaningful while video is on. */
  rung: number;
  /** Video paused because the link cannot carry it (the user's camera choice is untouched). */
  audioOnly: boolean;
  /** Samples in a row that would allow the next step up. */
  climb: number;
  /** Samples in a row below the lowest rung. */
  starve: number;
  /** Samples spent in audio only since the last probe. */
  sinceProbe: number;
  /** Samples to wait before the next probe. */
  probeWait: number;
  /** Video is back on trial (a probe) and has not yet proved itself by climbing a rung. */
  probing: boolean;
  /** Samples in a row on this rung with little loss (towards trying the next one up). */
  steady?: number;
  /** Samples left on a rung being tried (0: not on trial); while on trial, `rung` is the tried one. */
  trial?: number;
  /** Samples in a row, within the try, on which the budget held the tried rung. */
  held?: number;
  /** Round-trip time when the try began (ms), null when unknown. */
  trialRttMs?: number | null;
  /** Steady samples needed before the next try at `failedRung` or above. */
  upWait?: number;
  /** The rung whose last try failed (tries at lower rungs wait only the short while). */
  failedRung?: number;
  /** The last try worked and nothing has stepped down since. */
  tryWorked?: boolean;
}

export const initialLadder: LadderState = { rung: 0, audioOnly: false, climb: 0, starve: 0, sinceProbe: 0, probeWait: FIRST_PROBE_WAIT, probing: false };

export interface LadderInput {
  /** The sender's estimate of what the link carries (candidate pair availableOutgoingBitrate), bits/s. */
  availableOutBps: number | null;
  /** Loss the partner reports on what we send, percent (remote-inbound-rtp). */
  remoteLossPct: number;
  /** Round-trip time, ms (null or absent when unknown). */
  rttMs?: number | null;
}

/** The video budget this sample allows: the estimate with headroom, minus the voice. */
export function videoBudget(input: LadderInput): number | null {
  if (input.availableOutBps === null) return null;
  // Heavy loss means the estimate is already too high: plan on less.
  const lossFactor = input.remoteLossPct >= 10 ? 0.6 : input.remoteLossPct >= 4 ? 0.8 : 1;
  return input.availableOutBps * HEADROOM * lossFactor - AUDIO_RESERVE_BPS;
}

/**
 * What the sender is told: nothing (audio only), the rung, or while a rung is tried its
 * bitrate cap at the resolution of the rung below it.
 */
export function appliedRung(state: LadderState): Rung | null {
  if (state.audioOnly) return null;
  const rung = VIDEO_LADDER[state.rung] ?? null;
  const from = VIDEO_LADDER[state.rung + 1];
  if (!rung || !from || (state.trial ?? 0) <= 0) return rung;
  return { maxBitrate: rung.maxBitrate, scaleResolutionDownBy: from.scaleResolutionDownBy };
}

/** The same setting for the sender (null: video paused; undefined: nothing applied yet). */
export function sameRung(a: Rung | null, b: Rung | null | undefined): boolean {
  if (a === null || b === null || b === undefined) return a === b;
  return a.maxBitrate === b.maxBitrate && a.scaleResolutionDownBy === b.scaleResolutionDownBy;
}

/** The best rung a budget carries, or -1 when it carries none. */
export function rungFor(budget: number): number {
  return VIDEO_LADDER.findIndex((rung) => rung.maxBitrate <= budget);
}

export function nextLadder(state: LadderState, input: LadderInput): LadderState {
  const budget = videoBudget(input);
  if (budget === null) return state;
  const fits = rungFor(budget);
  const lowest = VIDEO_LADDER.length - 1;

  if (state.audioOnly) {
    // Back when the estimate, fed by audio alone, already has room; or on trial now and then.
    const sinceProbe = state.sinceProbe + 1;
    const climb = fits >= 0 ? state.climb + 1 : 0;
    // Video back on the lowest rung: the link has changed since the last failed try, which is forgotten.
    const back = { ...state, rung: lowest, audioOnly: false, climb: 0, starve: 0, sinceProbe: 0, steady: 0, upWait: FIRST_UP_WAIT, failedRung: undefined, tryWorked: false };
    if (climb >= SAMPLES_TO_CLIMB) return { ...back, probing: false };
    if (sinceProbe >= state.probeWait) return { ...back, probing: true };
    return { ...state, climb, sinceProbe };
  }

  // Loss alone does not pause video: the lowest rung costs the voice little, and the loss
  // just after a step down is mostly the queue of the higher rung draining. Only an
  // estimate that cannot carry the lowest rung even without loss pauses it.
  if (fits < 0 && rungFor(videoBudget({ ...input, remoteLossPct: 0 }) ?? 0) >= 0) {
    return { ...state, rung: lowest, climb: 0, starve: 0, steady: 0, trial: 0, held: 0 };
  }
  if (fits < 0) {
    // A probe from audio only ends on its first sample that carries nothing: every sample costs the voice.
    const starve = state.probing ? SAMPLES_TO_PAUSE : state.starve + 1;
    if (starve >= SAMPLES_TO_PAUSE) {
      const probeWait = state.probing ? Math.min(LONGEST_PROBE_WAIT, state.probeWait * 2) : FIRST_PROBE_WAIT;
      return { ...state, rung: lowest, audioOnly: true, climb: 0, starve: 0, sinceProbe: 0, probeWait, probing: false, trial: 0, held: 0 };
    }
    return { ...state, rung: lowest, climb: 0, starve, trial: 0, held: 0 };
  }
  const rungBps = VIDEO_LADDER[state.rung]?.maxBitrate ?? 0;
  const lossy = input.remoteLossPct >= TRIAL_LOSS_PCT;
  if ((state.trial ?? 0) > 0) return duringTry(state, input, budget, fits, lossy);
  if (fits > state.rung && budget < HOLD * rungBps) return { ...state, rung: fits, climb: 0, starve: 0, steady: 0, tryWorked: false }; // down at once
  if (fits >= state.rung) {
    // Holding this rung (or just above what the estimate says): now and then, try the next one up.
    const steady = state.rung > 0 && !lossy && input.remoteLossPct < 2 ? (state.steady ?? 0) + 1 : 0;
    if (steady >= waitBeforeTrying(state, state.rung - 1)) {
      return { ...state, rung: state.rung - 1, climb: 0, starve: 0, steady: 0, trial: UP_TRIAL, held: 0, trialRttMs: input.rttMs ?? null };
    }
    return { ...state, climb: 0, starve: 0, steady };
  }
  if (fits < state.rung) {
    const climb = state.climb + 1;
    const clearRoom = budget >= CLEAR_ROOM * (VIDEO_LADDER[state.rung - 1]?.maxBitrate ?? Number.POSITIVE_INFINITY);
    if (climb < (clearRoom ? SAMPLES_TO_CLIMB_WITH_ROOM : SAMPLES_TO_CLIMB)) return { ...state, climb, starve: 0 };
    // A rung climbed: the link carries video again, probes start over from the short wait.
    // With clear room the agreement so far carries over, so the next step takes one sample.
    const carried = clearRoom ? SAMPLES_TO_CLIMB_WITH_ROOM - 1 : 0;
    return { ...state, rung: state.rung - 1, climb: carried, starve: 0, steady: 0, probing: false, probeWait: FIRST_PROBE_WAIT };
  }
  return { ...state, climb: 0, starve: 0 };
}

/** Steady samples before trying `target`: the long wait only where the last try failed, or higher; a short one after a try that worked. */
function waitBeforeTrying(state: LadderState, target: number): number {
  if (state.failedRung !== undefined && target <= state.failedRung) return state.upWait ?? FIRST_UP_WAIT;
  return state.tryWorked ? UP_WAIT_AFTER_SUCCESS : FIRST_UP_WAIT;
}

/** One sample while `state.rung` is being tried (see the top of this file). */
function duringTry(state: LadderState, input: LadderInput, budget: number, fits: number, lossy: boolean): LadderState {
  const tried = state.rung;
  const holds = budget >= HOLD * (VIDEO_LADDER[tried]?.maxBitrate ?? 0);
  const fromHolds = budget >= HOLD * (VIDEO_LADDER[tried + 1]?.maxBitrate ?? 0);
  const base = state.trialRttMs ?? null;
  const queueing = base !== null && input.rttMs !== null && input.rttMs !== undefined && input.rttMs > base + Math.max(TRIAL_RTT_RISE_MS, base / 2);
  const held = holds ? (state.held ?? 0) + 1 : 0;
  const left = (state.trial ?? 0) - 1;
  if (!lossy && !queueing && held >= TRIAL_HOLDS) {
    // A rung climbed: as below, the link carries video, probes from audio only start over from the short wait.
    return { ...state, climb: 0, starve: 0, steady: 0, trial: 0, held: 0, upWait: FIRST_UP_WAIT, failedRung: undefined, tryWorked: true, probing: false, probeWait: FIRST_PROBE_WAIT };
  }
  if (lossy || queueing || !fromHolds || left <= 0) {
    const upWait = state.failedRung === tried ? Math.min(LONGEST_UP_WAIT, (state.upWait ?? FIRST_UP_WAIT) * 2) : FIRST_UP_WAIT * 2;
    return { ...state, rung: Math.max(fits, tried + 1), climb: 0, starve: 0, steady: 0, trial: 0, held: 0, upWait, failedRung: tried, tryWorked: false };
  }
  return { ...state, starve: 0, trial: left, held };
}
