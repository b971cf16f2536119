// IPC between the signaling bench's three processes: the orchestrator
// (bench/signaling.ts), the server under test (server-proc.ts) and the load
// generator (load-proc.ts).

export type Mode = 'heartline' | 'bare';

export interface LoopStats {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

// ---------------------------------------------------------------- server process
export type ToServer = { cmd: 'stats'; reset?: boolean; gc?: boolean } | { cmd: 'stop' };

export type FromServer =
  | { type: 'ready'; port: number }
  | {
      type: 'stats';
      rss: number;
      heapUsed: number;
      external: number;
      sockets: number;
      /** Event-loop delay (ms) since the last reset. */
      loop: LoopStats;
      /** Server process CPU time (ms, user + system) since it started. */
      cpuMs: number;
      /** Garbage-collection pauses since the last reset: count, total and longest (ms). */
      gc: { count: number; totalMs: number; maxMs: number };
    }
  | { type: 'error'; message: string };

// ---------------------------------------------------------------- load generator
export interface Identity {
  userId: string;
  token: string;
  deviceId: string;
}

export interface CoupleIdentity {
  a: Identity;
  b: Identity;
}

export type ToLoad =
  /** Callers (a) connect to `port`, callees (b) to `portB` when given: with two nodes every call crosses them. */
  | { cmd: 'connect'; port: number; portB?: number; mode: Mode; couples: CoupleIdentity[]; concurrency: number }
  /** rate 0 = closed loop: every active couple calls again as soon as its call ends. */
  /** `candidates`: ICE candidates relayed per call (half each way) besides the offer and answer. */
  | { cmd: 'load'; active: number; rate: number; durationMs: number; holdMs: number; candidates: number }
  | { cmd: 'stop' };

export interface LoadResult {
  ringMs: number[];
  acceptMs: number[];
  /** First signal sent → every signal of the call relayed (offer, answer, candidates). */
  signalMs: number[];
  /** Signals relayed (received by the other device). */
  signals: number;
  /** call:start (callUser) sent → the callee saw the call end. */
  totalMs: number[];
  started: number;
  completed: number;
  /** Scheduled calls not placed because every active couple was busy. */
  skipped: number;
  errors: Record<string, number>;
  elapsedMs: number;
}

export type FromLoad =
  | { type: 'connected'; sockets: number; failed: number; errors: Record<string, number>; ms: number }
  | { type: 'result'; result: LoadResult }
  | { type: 'error'; message: string };
