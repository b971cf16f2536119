import { describe, expect, it, vi } from 'vitest';
import { answerFor, DisplayMediaPicker, sortSources, type CaptureSource } from '../../src-main/display-media/display-media.std';
import { autostartDesktopEntry, loginItemSettings, startedHidden } from '../../src-main/login-item.std';

const source = (id: string, kind: 'screen' | 'window', name: string): CaptureSource<{ native: string }> => ({
  id,
  name,
  kind,
  thumbnail: 'data:image/png;base64,AAAA',
  source: { native: id },
});

describe('screen share picker', () => {
  const sources = [source('window:2', 'window', 'Editor'), source('screen:1', 'screen', 'Screen 1'), source('window:1', 'window', 'Browser')];

  it('lists screens first, then windows by name', () => {
    expect(sortSources(sources).map((s) => s.id)).toEqual(['screen:1', 'window:1', 'window:2']);
  });

  it('answers with the chosen source; system audio only where Electron can capture it', () => {
    expect(answerFor(sources, 'window:1', false, 'linux')).toEqual({ video: { native: 'window:1' } });
    expect(answerFor(sources, 'screen:1', true, 'linux')).toEqual({ video: { native: 'screen:1' } });
    expect(answerFor(sources, 'screen:1', true, 'win32')).toEqual({ video: { native: 'screen:1' }, audio: 'loopback' });
    expect(answerFor(sources, null, true, 'win32')).toEqual({});
    expect(answerFor(sources, 'window:999', false, 'linux')).toEqual({});
  });

  it('shows thumbnails in the picker and denies on cancel, on error, and while a picker is open', async () => {
    const pick = vi.fn(async (_sources: unknown[]) => 'window:2' as string | null);
    const picker = new DisplayMediaPicker({ listSources: async () => sources, pick, platform: 'linux', log: () => undefined });
    expect(await picker.choose(false)).toEqual({ video: { native: 'window:2' } });
    expect(pick.mock.calls[0]![0]).toEqual([
      { id: 'screen:1', name: 'Screen 1', kind: 'screen', thumbnail: 'data:image/png;base64,AAAA' },
      { id: 'window:1', name: 'Browser', kind: 'window', thumbnail: 'data:image/png;base64,AAAA' },
      { id: 'window:2', name: 'Editor', kind: 'window', thumbnail: 'data:image/png;base64,AAAA' },
    ]);

    let release: (id: string | null) => void = () => undefined;
    const slow = new DisplayMediaPicker({
      listSources: async () => sources,
      pick: () => new Promise<string | null>((resolve) => (release = resolve)),
      platform: 'linux',
      log: () => undefined,
    });
    const first = slow.choose(false);
    expect(await slow.choose(false)).toEqual({});
    await vi.waitFor(() => expect(release).not.toBeNull());
    release(null);
    expect(await first).toEqual({});

    const log: string[] = [];
    const failing = new DisplayMediaPicker({ listSources: async () => Promise.reject(new Error('no portal')), pick, platform: 'linux', log: (line) => log.push(line) });
    expect(await failing.choose(false)).toEqual({});
    expect(log).toEqual(['screen share picker failed: no portal']);
  });
});

describe('start at login', () => {
  it('starts hidden in the tray when launched at login', () => {
    expect(loginItemSettings(true)).toEqual({ openAtLogin: true, openAsHidden: true, args: ['--hidden'] });
    expect(loginItemSettings(false)).toEqual({ openAtLogin: false, openAsHidden: false, args: [] });
    expect(startedHidden({ argv: ['/opt/Heartline/heartline', '--hidden'], platform: 'win32' })).toBe(true);
    expect(startedHidden({ argv: ['/opt/Heartline/heartline', '--hidden'], platform: 'linux' })).toBe(true);
    expect(startedHidden({ argv: ['/opt/Heartline/heartline'], platform: 'linux' })).toBe(false);
    // macOS passes no arguments to login items: wasOpenedAtLogin says it.
    expect(startedHidden({ argv: ['/Applications/Heartline.app/Contents/MacOS/Heartline'], platform: 'darwin', wasOpenedAtLogin: () => true })).toBe(true);
    expect(startedHidden({ argv: ['/Applications/Heartline.app/Contents/MacOS/Heartline'], platform: 'darwin', wasOpenedAtLogin: () => false })).toBe(false);
    // Elsewhere wasOpenedAtLogin is not consulted (it is macOS-only and false there).
    expect(startedHidden({ argv: ['C:\\Heartline\\Heartline.exe'], platform: 'win32', wasOpenedAtLogin: () => true })).toBe(false);
  });

  it('writes an XDG autostart entry with a quoted Exec line on Linux', () => {
    const entry = autostartDesktopEntry({ name: 'Heartline', exec: '/home/me/Apps/Heart line.AppImage' });
    expect(entry).toContain('[Desktop Entry]\nType=Application\nName=Heartline\n');
    expect(entry).toContain('Exec="/home/me/Apps/Heart line.AppImage" --hidden\n');
  });
});
