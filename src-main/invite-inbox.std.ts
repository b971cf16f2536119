// heartline:// links can arrive before there is a window to show them in: macOS sends
// open-url before 'ready', and the launch arguments are read at start. They wait
// here until main attaches the handler (after the security setup and the window).

export class InviteInbox {
  private readonly waiting: (string | null)[] = [];
  private handler: ((code: string | null) => void) | null = null;

  /** A link was opened: its invite code, or null for a link that only opens the app. */
  receive(code: string | null): void {
    if (this.handler) this.handler(code);
    else this.waiting.push(code);
  }

  /** From now on links go to `handler`; the ones that waited go first, in order. */
  attach(handler: (code: string | null) => void): void {
    this.handler = handler;
    for (const code of this.waiting.splice(0)) handler(code);
  }
}
