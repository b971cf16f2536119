// Tone checks on decoded audio: the Goertzel filter measures the power of one
// frequency in a block of PCM samples, so a test can tell which tones a file holds.
import { execFileSync } from 'node:child_process';

/** Power at `frequency` (Hz) in `samples` taken at `sampleRate`, normalised by length. */
export function goertzelPower(samples: Float32Array, sampleRate: number, frequency: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
  let previous = 0;
  let beforePrevious = 0;
  for (const sample of samples) {
    const current = sample + coefficient * previous - beforePrevious;
    beforePrevious = previous;
    previous = current;
  }
  return (previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious) / samples.length;
}

/** Decodes a media file's audio to mono float PCM with ffmpeg. */
export function decodeAudio(file: string, sampleRate = 16_000): Float32Array {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-vn', '-ac', '1', '-ar', String(sampleRate), '-f', 'f32le', '-'], { maxBuffer: 256 * 1024 * 1024 });
  return new Float32Array(raw.buffer, raw.byteOffset, Math.floor(raw.byteLength / 4));
}

/** Duration of a media file (container), in seconds, from ffprobe. */
export function mediaDurationSec(file: string, stream?: 'a:0' | 'v:0'): number {
  const args = ['-v', 'error', ...(stream ? ['-select_streams', stream, '-show_entries', 'stream=duration'] : ['-show_entries', 'format=duration']), '-of', 'csv=p=0', file];
  return Number(execFileSync('ffprobe', args, { encoding: 'utf8' }).trim().split('\n')[0]);
}

/** Writes a sine tone WAV (16-bit mono 48 kHz) with ffmpeg. */
export function writeToneWav(file: string, frequency: number, seconds: number): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=${frequency}:sample_rate=48000:duration=${seconds}`, '-ac', '1', '-c:a', 'pcm_s16le', file]);
}

export function hasProgram(name: string): boolean {
  try {
    execFileSync(name, ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
