// Every abuse limit in one place, from the environment. The defaults are far
// above what a couple does by hand and far below what a script does.
import { intFrom } from '../config';

export interface BucketRule {
  /** Tokens a full bucket holds: the burst allowed at once. */
  burst: number;
  /** Tokens added back per second. */
  perSecond: number;
}

export interface WindowRule {
  max: number;
  windowMs: number;
}

export interface LimitsConfig {
  /** Every socket event, per socket and per user (all of the user's sockets on a node). */
  socketEvents: BucketRule;
  userEvents: BucketRule;
  /** `call:start`, per user: the one event that rings the partner and writes history. */
  callStart: BucketRule;
  /** Calls logged per couple per minute, counted in the store (holds across nodes). */
  callsPerCouplePerMinute: number;
  /** Connected sockets per user, across nodes. */
  socketsPerUser: number;
  /** A user's online/offline changes reach the partner at most once per this interval. */
  presenceDebounceMs: number;
  /** Per client address (IPv6 per /64), across all usernames. */
  login: WindowRule;
  register: WindowRule;
  /** Invite codes tried, per user and per address. */
  inviteAccept: WindowRule;
  /** scrypt hashes computed at once, and requests allowed to wait for one. */
  hashConcurrency: number;
  hashQueue: number;
}

export function loadLimits(env: NodeJS.ProcessEnv): LimitsConfig {
  const bucket = (name: string, burst: number, perSecond: number): BucketRule => ({
    burst: intFrom(env, `${name}_BURST`, burst, 1),
    // Per minute in the environment, so slow refills stay integers.
    perSecond: intFrom(env, `${name}_PER_MIN`, perSecond * 60, 1) / 60,
  });
  const window = (name: string, max: number, windowMs: number): WindowRule => ({
    max: intFrom(env, `${name}_MAX`, max, 1),
    windowMs: intFrom(env, `${name}_WINDOW_MS`, windowMs, 1),
  });
  return {
    socketEvents: bucket('SOCKET_EVENTS', 60, 20),
    userEvents: bucket('USER_EVENTS', 120, 40),
    callStart: bucket('CALL_START', 6, 6 / 60),
    callsPerCouplePerMinute: intFrom(env, 'CALLS_PER_COUPLE_PER_MIN', 12, 1),
    socketsPerUser: intFrom(env, 'SOCKETS_PER_USER', 10, 1),
    presenceDebounceMs: intFrom(env, 'PRESENCE_DEBOUNCE_MS', 1000, 0),
    login: window('LOGIN', 30, 10 * 60_000),
    register: window('REGISTER', 10, 60 * 60_000),
    inviteAccept: window('INVITE_ACCEPT', 10, 10 * 60_000),
    hashConcurrency: intFrom(env, 'HASH_CONCURRENCY', 2, 1),
    hashQueue: intFrom(env, 'HASH_QUEUE', 32, 0),
  };
}
