// Injected by esbuild into the bench page bundle: simple-peer and its streams
// expect Node's `process` and `Buffer` (`global` is defined as globalThis).
import { Buffer } from 'buffer';

export const process = {
  env: {},
  browser: true,
  version: '',
  versions: {},
  nextTick: (callback: (...args: unknown[]) => void, ...args: unknown[]): void => queueMicrotask(() => callback(...args)),
};

export { Buffer };
