// Electron's Notification is garbage-collected once nothing references it, and its
// click handler goes with it: a missed-call notice clicked later would do nothing.
// Each shown notification is kept here until it is clicked, closed or fails.

/** The part of Electron's Notification this uses. */
export interface NotificationLike {
  on(event: 'click' | 'close' | 'failed', listener: () => void): void;
  show(): void;
  close(): void;
}

export class NotificationKeeper {
  private readonly live = new Set<NotificationLike>();

  /** How many are kept right now. */
  get size(): number {
    return this.live.size;
  }

  /** Shows `notification`, runs `onClick` when it is clicked, keeps it alive until then. */
  show(notification: NotificationLike, onClick: () => void): { close(): void } {
    this.live.add(notification);
    const release = () => this.live.delete(notification);
    notification.on('click', () => {
      release();
      onClick();
    });
    notification.on('close', release);
    notification.on('failed', release);
    notification.show();
    return {
      close: () => {
        release();
        notification.close();
      },
    };
  }
}
