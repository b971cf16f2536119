// ipcRenderer.invoke typed from the one IPC table (src-shared/ipc.ts): a channel
// name that is not in the table, or arguments of the wrong shape, do not compile.
import { ipcRenderer } from 'electron';
import type { IpcArgs, IpcChannel, IpcReply } from '../src-shared/ipc';

export function invoke<C extends IpcChannel>(channel: C, ...args: IpcArgs<C>): Promise<IpcReply<C>> {
  return ipcRenderer.invoke(channel, ...(args as unknown[])) as Promise<IpcReply<C>>;
}
