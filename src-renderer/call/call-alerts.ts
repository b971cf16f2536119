// The sounds and notifications of a call transition: ringtone or ringback, a
// notification for a ring and for a missed call. The page rings only where the
// desktop app's main process does not (a plain browser).
import type { CallState } from '../../src-shared/call-machine';
import type { Translator } from '../i18n';

export interface Tones {
  play(kind: 'ringtone' | 'ringback'): void;
  stop(): void;
}

export interface CallAlertsDeps {
  tones: Tones;
  notify(title: string, body: string, tag: string): void;
  /** True inside the desktop app, whose main process plays the ringtone. */
  inDesktopApp(): boolean;
  translator(): Translator;
  partnerName(): string;
}

export class CallAlerts {
  constructor(private readonly deps: CallAlertsDeps) {}

  onTransition(previous: CallState, next: CallState): void {
    const { tones } = this.deps;
    if (next.kind === 'incoming' && !next.autoAnswer) {
      if (!this.deps.inDesktopApp()) tones.play('ringtone');
    } else if (next.kind === 'outgoing') tones.play('ringback');
    else tones.stop();

    const t = this.deps.translator();
    if (next.kind === 'incoming' && previous.kind !== 'incoming' && !next.autoAnswer) {
      this.deps.notify(t.t('appName'), t.t('notifIncoming', { name: next.from.displayName }), `call-${next.callId}`);
    }
    if (next.kind === 'ended' && (next.reason === 'expired' || (next.reason === 'timeout' && previous.kind === 'incoming'))) {
      const from = previous.kind === 'incoming' ? previous.from.displayName : this.deps.partnerName();
      this.deps.notify(t.t('appName'), t.t('notifMissed', { name: from }), `missed-${next.callId ?? ''}`);
    }
  }

  stop(): void {
    this.deps.tones.stop();
  }
}
