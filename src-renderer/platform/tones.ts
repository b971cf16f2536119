// Ringtone (incoming) and ringback (outgoing) made with Web Audio: no audio files,
// nothing for the CSP to block. In Electron, main plays the ringtone itself, so the
// page plays only the ringback there.
type Pattern = { freqs: number[]; on: number; off: number; gain: number };

// Ringback: 425 Hz, 1 s on / 4 s off (the European and Turkish ringback cadence).
const RINGBACK: Pattern = { freqs: [425], on: 1, off: 4, gain: 0.06 };
// Ringtone: a soft two-note chime.
const RINGTONE: Pattern = { freqs: [660, 880], on: 0.9, off: 1.6, gain: 0.08 };

export class TonePlayer {
  private context: AudioContext | null = null;
  private timer: number | null = null;
  private playing: 'ringtone' | 'ringback' | null = null;

  play(kind: 'ringtone' | 'ringback'): void {
    if (this.playing === kind) return;
    this.stop();
    const pattern = kind === 'ringtone' ? RINGTONE : RINGBACK;
    try {
      this.context ??= new AudioContext();
      void this.context.resume().catch(() => undefined);
    } catch {
      return; // no audio output: the screen still shows the call
    }
    this.playing = kind;
    const beep = (): void => {
      const ctx = this.context;
      if (!ctx || this.playing !== kind) return;
      const start = ctx.currentTime + 0.02;
      pattern.freqs.forEach((freq, i) => {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.frequency.value = freq;
        const t0 = start + (i * pattern.on) / pattern.freqs.length;
        const t1 = t0 + pattern.on / pattern.freqs.length;
        gain.gain.setValueAtTime(0, t0);
        gain.gain.linearRampToValueAtTime(pattern.gain, t0 + 0.03);
        gain.gain.setValueAtTime(pattern.gain, t1 - 0.05);
        gain.gain.linearRampToValueAtTime(0, t1);
        osc.connect(gain).connect(ctx.destination);
        osc.start(t0);
        osc.stop(t1 + 0.01);
      });
    };
    beep();
    this.timer = window.setInterval(beep, (pattern.on + pattern.off) * 1000);
  }

  stop(): void {
    this.playing = null;
    if (this.timer !== null) window.clearInterval(this.timer);
    this.timer = null;
  }

  get current(): 'ringtone' | 'ringback' | null {
    return this.playing;
  }
}
