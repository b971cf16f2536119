// What the leading tab tells the others (see tab-leader.ts): the call it is in and
// the missed-call count, so a following tab shows the same state without a socket.
export interface LeaderState {
  call: 'idle' | 'outgoing' | 'incoming' | 'in-call';
  partnerName: string;
  missed: number;
}

type Message = { kind: 'state'; state: LeaderState } | { kind: 'ask' };

const CHANNEL = 'heartline.tabs';

function open(): BroadcastChannel | null {
  return typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
}

/** The leader's side: publishes every change, and answers a new follower's question. Returns a publish function and a close. */
export function publishLeaderState(): { publish: (state: LeaderState) => void; close: () => void } {
  const channel = open();
  let last: LeaderState | null = null;
  if (channel) {
    channel.onmessage = (event: MessageEvent<Message>) => {
      if (event.data.kind === 'ask' && last) channel.postMessage({ kind: 'state', state: last } satisfies Message);
    };
  }
  return {
    publish: (state) => {
      last = state;
      channel?.postMessage({ kind: 'state', state } satisfies Message);
    },
    close: () => channel?.close(),
  };
}

/** A follower's side: calls `onState` with the leader's state now and on every change. */
export function followLeaderState(onState: (state: LeaderState) => void): () => void {
  const channel = open();
  if (!channel) return () => undefined;
  channel.onmessage = (event: MessageEvent<Message>) => {
    if (event.data.kind === 'state') onState(event.data.state);
  };
  channel.postMessage({ kind: 'ask' } satisfies Message);
  return () => channel.close();
}
