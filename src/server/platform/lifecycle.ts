import type { Logger } from './logger';

/**
 * Ordered shutdown: what started last stops first (HTTP, then the worker,
 * then the pool, then the embedded database). A signal during start-up aborts
 * the remaining steps through `signal`, and whatever had started is stopped.
 */
export class Lifecycle {
  private readonly closers: Array<{ name: string; close: () => Promise<void> }> = [];
  private readonly controller = new AbortController();
  private stopping: Promise<void> | undefined;

  constructor(private readonly logger: Logger) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Registers a closer; after shutdown began, runs it at once. */
  async add(name: string, close: () => Promise<void>): Promise<void> {
    if (this.stopping) {
      await this.run({ name, close });
      return;
    }
    this.closers.push({ name, close });
  }

  abort(): void {
    this.controller.abort();
  }

  stop(): Promise<void> {
    this.controller.abort();
    this.stopping ??= (async () => {
      while (this.closers.length > 0) await this.run(this.closers.pop()!);
    })();
    return this.stopping;
  }

  private async run(closer: { name: string; close: () => Promise<void> }): Promise<void> {
    try {
      await closer.close();
      this.logger.debug({ component: closer.name }, 'stopped');
    } catch (error) {
      this.logger.error({ component: closer.name, err: { message: (error as Error).message } }, 'failed to stop cleanly');
    }
  }
}

/** An expected start-up failure: printed as one line, no stack. */
export class StartupError extends Error {
  override name = 'StartupError';
}
