// Notifications stay referenced until clicked or closed (else a click on a
// collected one does nothing), and heartline:// links that arrive before the window
// wait for it.
import { describe, expect, it } from 'vitest';
import { InviteInbox } from '../../src-main/invite-inbox.std';
import { NotificationKeeper, type NotificationLike } from '../../src-main/notifications/notification-keeper.std';

class FakeNotification implements NotificationLike {
  shown = false;
  closed = false;
  private readonly handlers = new Map<string, (() => void)[]>();
  on(event: 'click' | 'close' | 'failed', listener: () => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), listener]);
  }
  show() {
    this.shown = true;
  }
  close() {
    this.closed = true;
    this.fire('close');
  }
  fire(event: string) {
    for (const handler of this.handlers.get(event) ?? []) handler();
  }
}

describe('NotificationKeeper', () => {
  it('keeps a shown notification until it is clicked, and the click still works later', () => {
    const keeper = new NotificationKeeper();
    const clicks: string[] = [];
    const missed = new FakeNotification();
    keeper.show(missed, () => clicks.push('open window'));
    expect(missed.shown).toBe(true);
    expect(keeper.size).toBe(1); // nothing else references it: only the keeper keeps it from GC
    missed.fire('click');
    expect(clicks).toEqual(['open window']);
    expect(keeper.size).toBe(0);
  });

  it('releases it when it is closed (by the user, the system or main) or fails', () => {
    const keeper = new NotificationKeeper();
    const dismissed = new FakeNotification();
    keeper.show(dismissed, () => undefined);
    dismissed.fire('close');
    const failed = new FakeNotification();
    keeper.show(failed, () => undefined);
    failed.fire('failed');
    const ring = new FakeNotification();
    const handle = keeper.show(ring, () => undefined);
    expect(keeper.size).toBe(1);
    handle.close(); // the ring ended
    expect(ring.closed).toBe(true);
    expect(keeper.size).toBe(0);
  });
});

describe('InviteInbox', () => {
  it('holds links that arrive before the window (macOS open-url before ready) and delivers them in order', () => {
    const inbox = new InviteInbox();
    const opened: (string | null)[] = [];
    inbox.receive('ABCD-EFGH');
    inbox.receive(null);
    expect(opened).toEqual([]);
    inbox.attach((code) => opened.push(code));
    expect(opened).toEqual(['ABCD-EFGH', null]);
    inbox.receive('QRST-2345');
    expect(opened).toEqual(['ABCD-EFGH', null, 'QRST-2345']);
  });
});
