// Wires planned calls into the app: the service behind the routes, and the
// reminder dispatcher swept on a timer by this node (every node runs one).
import type { Notifier } from '../calls/call-service';
import { userRoom, type HeartlineServer } from '../socket';
import type { Store } from '../store/types';
import { PlanService } from './plan-service';
import { ReminderDispatcher, type DeviceDirectory } from './reminder-dispatcher';

export interface Plans {
  service: PlanService;
  reminders: ReminderDispatcher;
  stop(): void;
}

export function socketDevices(io: HeartlineServer): DeviceDirectory {
  return {
    async onlineDevices(userId) {
      const sockets = await io.in(userRoom(userId)).fetchSockets();
      return [...new Set(sockets.map((socket) => socket.data.deviceId))];
    },
  };
}

export function attachPlans(options: {
  io: HeartlineServer;
  store: Store;
  notifier: Notifier;
  now: () => number;
  sweepMs: number;
  onError: (error: unknown, what: string) => void;
}): Plans {
  const { io, store, notifier, now, onError } = options;
  const service = new PlanService(store, notifier, now);
  const reminders = new ReminderDispatcher(store, notifier, socketDevices(io), now);

  io.on('connection', (socket) => {
    reminders
      .deviceOnline(socket.data.userId, socket.data.deviceId, (event) => socket.emit('plan:reminder', event))
      .catch((error: unknown) => onError(error, 'late reminder delivery failed'));
  });

  let sweeping = false;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    reminders
      .sweep()
      .catch((error: unknown) => onError(error, 'reminder sweep failed'))
      .finally(() => (sweeping = false));
  }, options.sweepMs);
  timer.unref();

  return { service, reminders, stop: () => clearInterval(timer) };
}
