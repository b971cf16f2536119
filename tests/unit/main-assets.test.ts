// The committed tray icons, app icon and ringtone are exactly what build/generate-assets.mjs
// makes (one source), and they are valid files of the right size.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations
import { assetList, renderIcon } from '../../build/generate-assets.mjs';

const buildDir = fileURLToPath(new URL('../../build/', import.meta.url));
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('desktop assets', () => {
  it('has an icon for every tray state, light and dark, 1x and 2x', () => {
    const paths = (assetList() as { path: string }[]).map((file) => file.path);
    for (const state of ['idle', 'ringing', 'ringing-alt', 'in-call', 'missed', 'dnd']) {
      for (const theme of ['light', 'dark']) {
        expect(paths).toContain(`tray/${state}-${theme}.png`);
        expect(paths).toContain(`tray/${state}-${theme}@2x.png`);
      }
    }
  });

  it('committed files match the generator byte for byte', () => {
    for (const file of assetList() as { path: string; render(): Buffer }[]) {
      const committed = readFileSync(`${buildDir}${file.path}`);
      expect(committed.equals(file.render()), `${file.path} is stale: run npm run assets:desktop`).toBe(true);
    }
  });

  it('writes valid PNGs of the right size and distinct states', () => {
    const idle = renderIcon('idle', 'light', 16) as Buffer;
    expect(idle.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(pngSize(idle)).toEqual({ width: 16, height: 16 });
    expect(pngSize(readFileSync(`${buildDir}icon.png`))).toEqual({ width: 1024, height: 1024 });
    expect((renderIcon('ringing', 'light', 16) as Buffer).equals(idle)).toBe(false);
    expect((renderIcon('idle', 'dark', 16) as Buffer).equals(idle)).toBe(false);
  });

  it('has a WAV ringtone', () => {
    const wav = readFileSync(`${buildDir}pages/ring/ringtone.wav`);
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
    expect(wav.readUInt32LE(24)).toBe(22050);
  });
});
