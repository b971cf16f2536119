// Keeps a connection that has not come up yet from waiting on an offer that was lost.
// A rebuilt connection's offer goes out while the partner (or this device) may be
// offline: the server has nowhere to deliver it and nobody sends it again, so a cut
// longer than ICE's failure timeout never recovered. The offering side therefore
// re-sends its unanswered offer every few seconds, and restarts ICE (fresh candidates,
// gathered on the link as it is now) when an answered offer's checks got nowhere.
// The receiving side treats a repeated offer as the same offer: it answers again with
// the answer it already made, and a second answer to one offer is dropped.
// Pure: states in, decision out; peer-session.ts applies it. Bounded by the call: past
// the reconnect deadline the call ends and its session (with this timer) is destroyed.

/** How often a connection that is not up yet is looked at. */
export const OFFER_RETRY_MS = 3_000;
/** An answered offer whose checks have not connected by then is restarted with fresh candidates. */
export const RESTART_UNCONNECTED_MS = 8_000;

export type OfferRetry = 'wait' | 'resend' | 'restart';

export interface OfferRetryInput {
  now: number;
  /** When our last offer (first, re-sent or restarted) went out; null: none yet. */
  lastOfferAt: number | null;
  signalingState: RTCSignalingState;
  iceState: RTCIceConnectionState;
}

/** What the offering side of a connection that is not up yet does now. */
export function offerRetry({ now, lastOfferAt, signalingState, iceState }: OfferRetryInput): OfferRetry {
  if (lastOfferAt === null || iceState === 'connected' || iceState === 'completed' || signalingState === 'closed') return 'wait';
  const since = now - lastOfferAt;
  if (signalingState === 'have-local-offer') return since >= OFFER_RETRY_MS ? 'resend' : 'wait';
  if (signalingState === 'stable') return since >= RESTART_UNCONNECTED_MS ? 'restart' : 'wait';
  return 'wait';
}

export type RepeatedSignal = 'apply' | 'ignore' | 'answer-again';

/**
 * Which offer a description is: its origin line (session id and version). Each new offer
 * (a renegotiation, an ICE restart) raises the version; a re-sent one keeps it, even
 * when it now carries the candidates gathered since.
 */
export function offerKey(sdp: string | undefined | null): string | null {
  const match = sdp ? /^o=(.+)$/m.exec(sdp) : null;
  return match?.[1]?.trim() ?? null;
}

/**
 * What the receiving side does with an offer or answer: an offer it has already answered
 * (same origin line as the remote description, nothing pending) is answered again with the
 * answer it made; an answer while no offer of ours is open is a repeat, dropped.
 */
export function repeatedSignal(
  signal: { type?: unknown; sdp?: unknown },
  state: { signalingState: RTCSignalingState; remoteSdp: string | null; hasLocalAnswer: boolean },
): RepeatedSignal {
  if (signal.type === 'answer') return state.signalingState === 'have-local-offer' ? 'apply' : 'ignore';
  if (signal.type !== 'offer' || typeof signal.sdp !== 'string') return 'apply';
  const key = offerKey(signal.sdp);
  const same = key !== null && key === offerKey(state.remoteSdp);
  if (same && state.signalingState === 'stable') return state.hasLocalAnswer ? 'answer-again' : 'ignore';
  return 'apply';
}
