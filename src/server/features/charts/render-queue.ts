/**
 * Drawing is CPU work on the event loop: at most `concurrency` charts are
 * drawn at once in a process and at most `waiting` wait, so one busy client
 * can't queue renders that starve everyone's requests.
 */
export class RenderQueue {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    private readonly concurrency = 2,
    private readonly waiting = 16,
  ) {}

  /** Runs `work` when a place is free; undefined at once when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (this.running < this.concurrency) this.running++;
    else if (this.queue.length >= this.waiting) return undefined;
    // A finishing render hands its place straight to the next waiter, so no newcomer slips in between.
    else await new Promise<void>((resolve) => this.queue.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }
}
