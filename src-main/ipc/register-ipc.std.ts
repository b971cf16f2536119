// Registers IPC handlers from the one table in src-shared/ipc.ts. Each handler first
// checks who is calling (the top frame of one of our own pages), then the arguments
// against the channel's schema; only then does the typed handler run. An untrusted
// sender or a bad payload gets an error and changes nothing.
import { IPC, IPC_GROUPS, type IpcChannelOf, type IpcGroup, type IpcParsedArgs, type IpcReply } from '../../src-shared/ipc';
import { describeIssues } from '../../src-shared/protocol';
import { isTrustedSender, type SenderFrame } from '../security/policy.std';

/** What an IPC event tells about its sender (Electron's event.senderFrame). */
export interface IpcEventLike {
  senderFrame: { url: string; parent: unknown } | null | undefined;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The handlers of one group of the table, typed from it. */
export type IpcHandlers<G extends IpcGroup> = {
  [C in IpcChannelOf<G>]: (...args: IpcParsedArgs<C>) => IpcReply<C> | Promise<IpcReply<C>>;
};

export class UntrustedSenderError extends Error {
  constructor(channel: string, url: string | undefined) {
    super(`${channel}: refused, sender ${url ?? '(gone)'} is not the app`);
    this.name = 'UntrustedSenderError';
  }
}

/** A rejected invoke(): the page's promise rejects with this message. */
export class InvalidPayloadError extends Error {
  constructor(channel: string, detail: string) {
    super(`${channel}: invalid payload (${detail})`);
    this.name = 'InvalidPayloadError';
  }
}

export function senderFrameOf(event: IpcEventLike): SenderFrame | null {
  const frame = event.senderFrame;
  if (!frame) return null;
  return { url: frame.url, isTopFrame: frame.parent === null || frame.parent === undefined };
}

/** Registers every channel of `group` for callers from `allowedOrigins`; returns the unregister function. */
export function registerIpc<G extends IpcGroup>(
  ipcMain: IpcMainLike,
  group: G,
  handlers: IpcHandlers<G>,
  allowedOrigins: () => readonly string[],
  log: (message: string) => void = () => undefined,
): () => void {
  const channels: readonly IpcChannelOf<G>[] = IPC_GROUPS[group];
  for (const channel of channels) {
    const handler = handlers[channel] as (...args: unknown[]) => unknown;
    const schema = IPC[channel].args;
    ipcMain.handle(channel, (event, ...args) => {
      const frame = senderFrameOf(event);
      if (!isTrustedSender(frame, allowedOrigins())) {
        log(`ipc ${channel}: untrusted sender ${frame?.url ?? '(none)'}`);
        throw new UntrustedSenderError(channel, frame?.url);
      }
      const parsed = schema.safeParse(args);
      if (!parsed.success) throw new InvalidPayloadError(channel, describeIssues(parsed.error));
      return handler(...(parsed.data as unknown[]));
    });
  }
  return () => channels.forEach((channel) => ipcMain.removeHandler(channel));
}
