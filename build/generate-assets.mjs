// Generates the desktop app's binary assets from this one source, with Node built-ins
// only (no native image libraries): tray icons for every state, for light and dark
// panels, at 1x and 2x; the app icon; the ringtone. Deterministic: the same bytes every
// run, so the committed files can be checked against it (tests/unit/main-assets.test.ts).
//
//   node build/generate-assets.mjs            writes into build/
//   node build/generate-assets.mjs <folder>   writes into <folder> (tests)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

// ---------------------------------------------------------------- PNG encoding

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** RGBA pixels (Uint8Array, width*height*4) -> PNG bytes. */
export function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------- drawing

const hex = (value) => [parseInt(value.slice(1, 3), 16), parseInt(value.slice(3, 5), 16), parseInt(value.slice(5, 7), 16)];

/** The heart: (x² + y² − 1)³ − x²y³ ≤ 0, in a box of ±1.25, scaled by `scale`. */
function inHeart(u, v, scale) {
  const x = u / scale;
  const y = v / scale + 0.1;
  const a = x * x + y * y - 1;
  return a * a * a - x * x * y * y * y <= 0;
}

const inCircle = (u, v, cx, cy, r) => (u - cx) ** 2 + (v - cy) ** 2 <= r * r;
const inRing = (u, v, cx, cy, r, w) => {
  const d = Math.sqrt((u - cx) ** 2 + (v - cy) ** 2);
  return d >= r - w / 2 && d <= r + w / 2;
};

/**
 * Each state is a list of layers painted in order; a layer is a color and a test of
 * the point (u, v) in [-1.3, 1.3]² (v up).
 */
function layersFor(state, theme) {
  const light = theme === 'light'; // light panel: deeper colors; dark panel: brighter ones
  const rose = light ? '#c2185b' : '#ff5c8a';
  const green = light ? '#1e8e4e' : '#3ddc84';
  const grey = light ? '#5c5f66' : '#b5bac1';
  const red = '#f23f43';
  const heart = (scale) => (u, v) => inHeart(u, v, scale);
  switch (state) {
    case 'idle':
      return [[rose, heart(1)]];
    case 'ringing':
      // The heart with two sound waves: distinct from idle at a glance.
      return [
        [rose, heart(0.78)],
        [green, (u, v) => u > 0.35 && inRing(u, v, 0.15, 0.25, 0.95, 0.16) && Math.abs(v - 0.25) < 0.75],
        [green, (u, v) => u < -0.35 && inRing(u, v, -0.15, 0.25, 0.95, 0.16) && Math.abs(v - 0.25) < 0.75],
      ];
    case 'ringing-alt':
      // Second animation frame: the heart beats (larger), no waves.
      return [[rose, heart(1.08)]];
    case 'in-call':
      return [[green, heart(1)]];
    case 'missed':
      return [
        [rose, heart(0.9)],
        ['#ffffff', (u, v) => inCircle(u, v, 0.72, 0.72, 0.56)],
        [red, (u, v) => inCircle(u, v, 0.72, 0.72, 0.46)],
      ];
    case 'dnd':
      return [
        [grey, heart(1)],
        [light ? '#ffffff' : '#1e1f22', (u, v) => Math.abs(v - 0.05) < 0.16 && Math.abs(u) < 0.55],
      ];
    case 'app':
      return [
        [light ? '#2b2d31' : '#2b2d31', (u, v) => roundedSquare(u, v, 1.25, 0.32)],
        ['#ff5c8a', heart(0.82)],
      ];
    default:
      throw new Error(`unknown state ${state}`);
  }
}

function roundedSquare(u, v, half, radius) {
  const dx = Math.max(Math.abs(u) - (half - radius), 0);
  const dy = Math.max(Math.abs(v) - (half - radius), 0);
  return dx * dx + dy * dy <= radius * radius;
}

/** Renders with 4x4 supersampling for smooth edges. */
export function renderIcon(state, theme, size) {
  const layers = layersFor(state, theme).map(([color, test]) => [hex(color), test]);
  const pixels = new Uint8Array(size * size * 4);
  const samples = 4;
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const u = ((px + (sx + 0.5) / samples) / size) * 2.6 - 1.3;
          const v = 1.3 - ((py + (sy + 0.5) / samples) / size) * 2.6;
          let hit = null;
          for (const [color, test] of layers) if (test(u, v)) hit = color;
          if (hit) {
            r += hit[0];
            g += hit[1];
            b += hit[2];
            a += 1;
          }
        }
      }
      const offset = (py * size + px) * 4;
      if (a > 0) {
        pixels[offset] = Math.round(r / a);
        pixels[offset + 1] = Math.round(g / a);
        pixels[offset + 2] = Math.round(b / a);
        pixels[offset + 3] = Math.round((a / (samples * samples)) * 255);
      }
    }
  }
  return encodePng(size, size, pixels);
}

// ---------------------------------------------------------------- ringtone

/** A soft two-note chime, twice, then silence: 3 s, looped by the ring window. 16-bit mono WAV. */
export function renderRingtone(sampleRate = 22050) {
  const seconds = 3;
  const total = sampleRate * seconds;
  const data = Buffer.alloc(total * 2);
  const notes = [
    { start: 0.0, freq: 880 },
    { start: 0.25, freq: 660 },
    { start: 0.8, freq: 880 },
    { start: 1.05, freq: 660 },
  ];
  for (let i = 0; i < total; i += 1) {
    const t = i / sampleRate;
    let sample = 0;
    for (const note of notes) {
      const dt = t - note.start;
      if (dt < 0 || dt > 0.6) continue;
      const envelope = Math.min(1, dt / 0.01) * Math.exp(-dt * 6);
      sample += envelope * (Math.sin(2 * Math.PI * note.freq * dt) + 0.3 * Math.sin(4 * Math.PI * note.freq * dt));
    }
    data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, sample * 0.35)) * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

// ---------------------------------------------------------------- outputs

export const TRAY_STATES = ['idle', 'ringing', 'ringing-alt', 'in-call', 'missed', 'dnd'];
export const THEMES = ['light', 'dark'];

/** Every generated file, relative to build/. */
export function assetList() {
  const files = [];
  for (const state of TRAY_STATES) {
    for (const theme of THEMES) {
      files.push({ path: `tray/${state}-${theme}.png`, render: () => renderIcon(state, theme, 16) });
      files.push({ path: `tray/${state}-${theme}@2x.png`, render: () => renderIcon(state, theme, 32) });
    }
  }
  files.push({ path: 'tray/app.png', render: () => renderIcon('app', 'dark', 256) });
  // electron-builder makes the .ico and .icns from this (at least 512 px for macOS).
  files.push({ path: 'icon.png', render: () => renderIcon('app', 'dark', 1024) });
  files.push({ path: 'pages/ring/ringtone.wav', render: () => renderRingtone() });
  return files;
}

export function generateAssets(outDir) {
  const written = [];
  for (const file of assetList()) {
    const target = join(outDir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.render());
    written.push(file.path);
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2] ?? dirname(fileURLToPath(import.meta.url));
  const written = generateAssets(outDir);
  console.log(`generated ${written.length} files in ${outDir}`);
}
