// NOTE: simple-peer 9 (https://github.com/feross/simple-peer) depends on readable-stream 3,
// which calls `process.nextTick` as a global, as browserify provided. Vite does not, so
// this module gives the page the one piece it needs. It must be imported before
// anything that loads simple-peer (main.tsx imports it first).
type NextTick = (callback: (...args: unknown[]) => void, ...args: unknown[]) => void;
interface ProcessShim {
  env: Record<string, string | undefined>;
  browser: boolean;
  version: string;
  versions: Record<string, string>;
  nextTick: NextTick;
}

const scope = globalThis as unknown as { process?: Partial<ProcessShim> };
if (!scope.process) {
  scope.process = { env: {}, browser: true, version: '', versions: {} };
}
if (typeof scope.process.nextTick !== 'function') {
  scope.process.nextTick = (callback, ...args) => queueMicrotask(() => callback(...args));
}
if (!scope.process.env) scope.process.env = {};

export {};
