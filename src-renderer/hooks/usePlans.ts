// The couple's planned calls as the server has them: loaded on sign-in, reloaded
// on every plans:changed and reconnect. This device's time zone is reported on
// sign-in and whenever it changes (travel, an OS setting).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { sameReminder, type PlanReminderEvent, type PlansResponse } from '../../src-shared/plans';
import { plansApi, type PlansApi } from '../api/plans-api';
import type { Session } from '../api/session';
import type { CallController } from '../call/call-controller';
import { deviceTimeZone } from '../components/Plans/plan-format';
import { bridge } from '../platform/bridge';

const ZONE_CHECK_MS = 60_000;
const EMPTY: PlansResponse = { plans: [], occurrences: [], recent: [], timeZones: {} };

export interface PlansView extends PlansResponse {
  api: PlansApi;
  myZone: string;
  loaded: boolean;
  reload: () => void;
  /** The latest reminder not yet dismissed. */
  reminder: PlanReminderEvent | null;
  /** The notice goes (dismissed, or its "Call now" used); in the desktop app the tray's reminder goes with it. */
  dismissReminder: () => void;
}

/** `partnerId` reloads the plans when the couple changes (pairing, unpairing). */
export function usePlans(session: Session, controller: CallController, partnerId: string | null): PlansView {
  const api = useMemo(() => plansApi(session), [session]);
  const [data, setData] = useState<PlansResponse>(EMPTY);
  const [loaded, setLoaded] = useState(false);
  const [myZone, setMyZone] = useState(deviceTimeZone);
  const [reminder, setReminder] = useState<PlanReminderEvent | null>(null);

  const reload = useCallback(() => {
    api
      .list()
      .then((next) => {
        setData(next);
        setLoaded(true);
        // The desktop app's main keeps them, to remind even when the server is out of reach.
        void bridge()?.plans.sync({ plans: next.plans, partnerName: session.partner?.displayName ?? null }).catch(() => undefined);
      })
      .catch(() => setLoaded(true));
  }, [api, session]);

  useEffect(reload, [reload, partnerId]);

  useEffect(() => {
    const report = (): void => {
      const zone = deviceTimeZone();
      setMyZone(zone);
      void api.reportTimeZone(zone).catch(() => undefined);
    };
    report();
    const offChanged = controller.signaling.on('plans:changed', reload);
    const offReminder = controller.signaling.on('plan:reminder', (event) => {
      setReminder(event);
      // In the desktop app main shows the native notification (once per device, whoever fired first).
      void bridge()?.plans.reminded(event).catch(() => undefined);
    });
    const onConnect = (): void => {
      report();
      reload();
    };
    controller.signaling.socket.on('connect', onConnect);
    // A zone change has no event of its own: look now and then, and when the page comes back.
    let zone = deviceTimeZone();
    const checkZone = (): void => {
      if (deviceTimeZone() === zone) return;
      zone = deviceTimeZone();
      report();
    };
    const timer = window.setInterval(checkZone, ZONE_CHECK_MS);
    window.addEventListener('focus', checkZone);
    return () => {
      offChanged();
      offReminder();
      controller.signaling.socket.off('connect', onConnect);
      window.clearInterval(timer);
      window.removeEventListener('focus', checkZone);
    };
  }, [api, controller, reload]);

  // The desktop tray's "Dismiss reminder" settles the page's notice of that same reminder (a newer one stays).
  useEffect(
    () =>
      bridge()?.onAction((action) => {
        if (action.kind !== 'plan-reminder-dismissed') return;
        const settled = { planId: action.planId, occurrence: action.occurrence, kind: action.reminder };
        setReminder((shown) => (shown && sameReminder(shown, settled) ? null : shown));
      }),
    [],
  );

  const dismissReminder = useCallback(() => {
    // The desktop app's tray and native notification let the same reminder go.
    if (reminder) void bridge()?.plans.dismissed(reminder).catch(() => undefined);
    setReminder(null);
  }, [reminder]);

  return { ...data, api, myZone, loaded, reload, reminder, dismissReminder };
}
