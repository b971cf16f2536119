// Registers every IPC handler once. Each handler first checks who is calling (the top
// frame of one of our own pages) and then hands the untrusted arguments to a handler
// that validates them. An untrusted sender gets an error and changes nothing.
import { isTrustedSender, type SenderFrame } from '../security/policy.std';

/** What an IPC event tells about its sender (Electron's event.senderFrame). */
export interface IpcEventLike {
  senderFrame: { url: string; parent: unknown } | null | undefined;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export type IpcHandlers = Record<string, (...args: unknown[]) => unknown>;

export class UntrustedSenderError extends Error {
  constructor(channel: string, url: string | undefined) {
    super(`${channel}: refused, sender ${url ?? '(gone)'} is not the app`);
    this.name = 'UntrustedSenderError';
  }
}

export function senderFrameOf(event: IpcEventLike): SenderFrame | null {
  const frame = event.senderFrame;
  if (!frame) return null;
  return { url: frame.url, isTopFrame: frame.parent === null || frame.parent === undefined };
}

/** Registers `handlers` for callers from `allowedOrigins`; returns the unregister function. */
export function registerIpc(
  ipcMain: IpcMainLike,
  handlers: IpcHandlers,
  allowedOrigins: () => readonly string[],
  log: (message: string) => void = () => undefined,
): () => void {
  const channels = Object.keys(handlers);
  for (const channel of channels) {
    const handler = handlers[channel]!;
    ipcMain.handle(channel, (event, ...args) => {
      const frame = senderFrameOf(event);
      if (!isTrustedSender(frame, allowedOrigins())) {
        log(`ipc ${channel}: untrusted sender ${frame?.url ?? '(none)'}`);
        throw new UntrustedSenderError(channel, frame?.url);
      }
      return handler(...args);
    });
  }
  return () => channels.forEach((channel) => ipcMain.removeHandler(channel));
}
