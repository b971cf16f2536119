// What video a thin link can carry. One rung per step of a ladder (bitrate cap and
// resolution scale for RTCRtpSender.setParameters); below the lowest rung, audio only,
// because a voice that breaks up is worse than no picture. Steps down at once when the
// sender's bandwidth estimate says so, steps up one rung at a time after it has said
// "more" for a while (faster, a rung per sample after two samples, when the budget is
// half as large again as the next rung: a cap was lifted, not an estimate wobbling at
// the edge of one), and
// from audio only probes the lowest rung now and then, since
// an audio-only call gives the estimator too little traffic to notice the cap lifted.
// The same holds on every rung: a sender limited to a rung's maxBitrate keeps the
// estimate near what it sends, so the next rung never "fits". After a while on a rung
// with little loss the ladder therefore tries the next rung up for a few samples (raising
// maxBitrate also makes the browser probe the link); the estimate then either follows
// (the rung is kept) or not (back down, and the next try waits twice as long). A rung is
// kept while the budget holds three quarters of it: a cap is a ceiling, not a target.
// Pure: samples in, state out; the call applies it and unit tests drive it.

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
/** Samples on a rung, little loss, before trying the next one up; doubled after each failed try. */
const FIRST_UP_WAIT = 3;
const LONGEST_UP_WAIT = 32;
/**
 * Samples a tried rung lasts: the first is the estimate's time to follow (only loss ends the
 * try there), every later one must hold the rung.
 */
const UP_TRIAL = 3;
/** Loss (reported by the partner, percent) that counts against a rung. */
const TRIAL_LOSS_PCT = 4;
/** Consecutive samples below the lowest rung before video is paused. */
const SAMPLES_TO_PAUSE = 2;
/** Samples to wait in audio only before probing the lowest rung; doubled after each failed probe. */
const FIRST_PROBE_WAIT = 5;
const LONGEST_PROBE_WAIT = 40;

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
  /** Samples left on a rung being tried (0: not on trial). */
  trial?: number;
  /** Steady samples needed before the next try up. */
  upWait?: number;
}

export const initialLadder: LadderState = { rung: 0, audioOnly: false, climb: 0, starve: 0, sinceProbe: 0, probeWait: FIRST_PROBE_WAIT, probing: false };

export interface LadderInput {
  /** The sender's estimate of what the link carries (candidate pair availableOutgoingBitrate), bits/s. */
  availableOutBps: number | null;
  /** Loss the partner reports on what we send, percent (remote-inbound-rtp). */
  remoteLossPct: number;
}

/** The video budget this sample allows: the estimate with headroom, minus the voice. */
export function videoBudget(input: LadderInput): number | null {
  if (input.availableOutBps === null) return null;
  // Heavy loss means the estimate is already too high: plan on less.
  const lossFactor = input.remoteLossPct >= 10 ? 0.6 : input.remoteLossPct >= 4 ? 0.8 : 1;
  return input.availableOutBps * HEADROOM * lossFactor - AUDIO_RESERVE_BPS;
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
    if (climb >= SAMPLES_TO_CLIMB) return { ...state, rung: lowest, audioOnly: false, climb: 0, starve: 0, sinceProbe: 0, probing: false };
    if (sinceProbe >= state.probeWait) return { ...state, rung: lowest, audioOnly: false, climb: 0, starve: 0, sinceProbe: 0, probing: true };
    return { ...state, climb, sinceProbe };
  }

  if (fits < 0) {
    const starve = state.starve + 1;
    if (starve >= SAMPLES_TO_PAUSE) {
      const probeWait = state.probing ? Math.min(LONGEST_PROBE_WAIT, state.probeWait * 2) : FIRST_PROBE_WAIT;
      return { ...state, rung: lowest, audioOnly: true, climb: 0, starve: 0, sinceProbe: 0, probeWait, probing: false };
    }
    return { ...state, rung: lowest, climb: 0, starve };
  }
  const rungBps = VIDEO_LADDER[state.rung]?.maxBitrate ?? 0;
  const upWait = state.upWait ?? FIRST_UP_WAIT;
  const lossy = input.remoteLossPct >= TRIAL_LOSS_PCT;
  if ((state.trial ?? 0) > 0) {
    // Trying a rung up: loss ends the try, and so does a budget that does not hold it after the first sample.
    const trial = (state.trial ?? 0) - 1;
    const followed = budget >= HOLD * rungBps || state.trial === UP_TRIAL;
    if (lossy || !followed) {
      return { ...state, rung: Math.max(fits, state.rung + 1), climb: 0, starve: 0, steady: 0, trial: 0, upWait: Math.min(LONGEST_UP_WAIT, upWait * 2) };
    }
    if (trial > 0) return { ...state, starve: 0, trial };
    return { ...state, climb: 0, starve: 0, steady: 0, trial: 0, upWait: FIRST_UP_WAIT }; // the estimate followed: kept
  }
  if (fits > state.rung && budget < HOLD * rungBps) return { ...state, rung: fits, climb: 0, starve: 0, steady: 0 }; // down at once
  if (fits >= state.rung) {
    // Holding this rung (or just above what the estimate says): now and then, try the next one up.
    const steady = state.rung > 0 && !lossy && input.remoteLossPct < 2 ? (state.steady ?? 0) + 1 : 0;
    if (steady >= upWait) return { ...state, rung: state.rung - 1, climb: 0, starve: 0, steady: 0, trial: UP_TRIAL, upWait };
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
