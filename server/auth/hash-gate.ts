// A bound on scrypt work at once: each hash takes ~16 MiB and tens of
// milliseconds of a core, so a burst of logins or sign-ups must queue (a
// short queue) rather than starve real logins; beyond the queue, 429.
import { rateLimitedHttp } from '../limits/rate-limited';

export class HashGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) {
      if (this.waiting.length >= this.queue) throw rateLimitedHttp(1000, 'the server is busy checking passwords');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active += 1;
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next in line, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
