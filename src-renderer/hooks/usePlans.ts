// The couple's planned calls as the server has them: loaded on sign-in, reloaded
// on every plans:changed and reconnect. This device's time zone is reported on
// sign-in and whenever it changes (travel, an OS setting).
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PlanReminderEvent, PlansResponse } from '../../src-shared/plans';
import { plansApi, type PlansApi } from '../api/plans-api';
import type { Session } from '../api/session';
import type { CallController } from '../call/call-controller';
import { deviceTimeZone } from '../components/Plans/plan-format';

const ZONE_CHECK_MS = 60_000;
const EMPTY: PlansResponse = { plans: [], occurrences: [], recent: [], timeZones: {} };

export interface PlansView extends PlansResponse {
  api: PlansApi;
  myZone: string;
  loaded: boolean;
  reload: () => void;
  /** The latest reminder not yet dismissed. */
  reminder: PlanReminderEvent | null;
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
      })
      .catch(() => setLoaded(true));
  }, [api]);

  useEffect(reload, [reload, partnerId]);

  useEffect(() => {
    const report = (): void => {
      const zone = deviceTimeZone();
      setMyZone(zone);
      void api.reportTimeZone(zone).catch(() => undefined);
    };
    report();
    const offChanged = controller.signaling.on('plans:changed', reload);
    const offReminder = controller.signaling.on('plan:reminder', setReminder);
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

  return { ...data, api, myZone, loaded, reload, reminder, dismissReminder: () => setReminder(null) };
}
