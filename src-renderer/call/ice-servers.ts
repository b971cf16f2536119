// The STUN/TURN list for one call: fetched once when a call starts (in parallel with
// opening the camera), shared by every connection of that call, forgotten after it.
import type { IceServer } from '../../src-shared/protocol';

export class IceServerCache {
  private pending: Promise<IceServer[]> | null = null;
  private value: IceServer[] | null = null;
  /** Bumped on reset, so a fetch from an earlier call cannot fill this one. */
  private epoch = 0;

  constructor(private readonly fetchServers: () => Promise<IceServer[]>) {}

  /** Starts the fetch unless one is under way or done; a failure means host candidates only. */
  prefetch(): Promise<IceServer[]> {
    if (this.pending) return this.pending;
    const epoch = this.epoch;
    this.pending = this.fetchServers()
      .catch((error: unknown) => {
        console.warn('heartline: no ICE servers, trying host candidates only', error);
        return [] as IceServer[];
      })
      .then((servers) => {
        if (epoch === this.epoch) this.value = servers;
        return servers;
      });
    return this.pending;
  }

  /** The list once fetched, null before. */
  get current(): IceServer[] | null {
    return this.value;
  }

  reset(): void {
    this.epoch += 1;
    this.pending = null;
    this.value = null;
  }
}
