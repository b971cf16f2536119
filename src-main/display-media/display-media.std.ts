// Screen sharing in Electron: getDisplayMedia() reaches main's display-media handler,
// which lists screens and windows (desktopCapturer, with thumbnails), lets the user
// pick one in a small picker window and answers with that source. Cancel -> no stream.

export interface CaptureSource<TSource = unknown> {
  id: string;
  name: string;
  /** data: URL of the thumbnail (PNG). */
  thumbnail: string;
  kind: 'screen' | 'window';
  /** The Electron DesktopCapturerSource, handed back to Electron untouched. */
  source: TSource;
}

export interface DisplayMediaDeps<TSource> {
  listSources(): Promise<CaptureSource<TSource>[]>;
  /** Shows the picker; resolves with the chosen id, or null when canceled/closed. */
  pick(sources: { id: string; name: string; thumbnail: string; kind: 'screen' | 'window' }[]): Promise<string | null>;
  platform: NodeJS.Platform;
  log(message: string): void;
}

export interface DisplayMediaAnswer<TSource> {
  video?: TSource;
  /** System audio is only capturable on Windows (Electron's 'loopback'). */
  audio?: 'loopback';
}

/** The callback's argument for a choice; an empty object denies the request. */
export function answerFor<TSource>(
  sources: readonly CaptureSource<TSource>[],
  chosenId: string | null,
  audioRequested: boolean,
  platform: NodeJS.Platform,
): DisplayMediaAnswer<TSource> {
  const chosen = chosenId === null ? undefined : sources.find((source) => source.id === chosenId);
  if (!chosen) return {};
  return audioRequested && platform === 'win32' ? { video: chosen.source, audio: 'loopback' } : { video: chosen.source };
}

/** Screens first, then windows, each by name: the picker's order. */
export function sortSources<T extends { kind: 'screen' | 'window'; name: string }>(sources: readonly T[]): T[] {
  return [...sources].sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'screen' ? -1 : 1));
}

export class DisplayMediaPicker<TSource> {
  private busy = false;

  constructor(private readonly deps: DisplayMediaDeps<TSource>) {}

  async choose(audioRequested: boolean): Promise<DisplayMediaAnswer<TSource>> {
    // One picker at a time: a second request while one is open is denied.
    if (this.busy) return {};
    this.busy = true;
    try {
      const sources = sortSources(await this.deps.listSources());
      if (sources.length === 0) return {};
      const chosenId = await this.deps.pick(sources.map(({ id, name, thumbnail, kind }) => ({ id, name, thumbnail, kind })));
      return answerFor(sources, chosenId, audioRequested, this.deps.platform);
    } catch (error) {
      this.deps.log(`screen share picker failed: ${(error as Error).message}`);
      return {};
    } finally {
      this.busy = false;
    }
  }
}
