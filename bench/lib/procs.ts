// Child processes for the benches: fork a TypeScript file under tsx with IPC, and
// wait (bounded) for a message of a given type.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));

export function forkTs(file: string, options: { env?: NodeJS.ProcessEnv; execArgv?: string[] } = {}): ChildProcess {
  return fork(file, [], {
    execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The child's next message whose `type` is `type`; rejects on an `error` message, exit or timeout. */
export function nextMessage<M extends { type: string }, T extends M['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<M, { type: T }>> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (raw: unknown): void => {
      const message = raw as M & { message?: string };
      if (message.type === type) {
        cleanup();
        resolve(message as Extract<M, { type: T }>);
      } else if (message.type === 'error') {
        cleanup();
        reject(new Error(`child reported: ${message.message ?? 'error'}`));
      }
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`child exited (${code}) while waiting for "${type}"`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for "${type}"`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Asks a child to stop, then makes sure it has (SIGKILL after `graceMs`). */
export async function stopChild(child: ChildProcess, stopMessage: unknown, graceMs = 8_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    child.send(stopMessage as object);
  } catch {
    // IPC already closed.
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
