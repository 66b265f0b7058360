/**
 * Requests per key (a token, a user) in a sliding window. Kept in memory, per process:
 * Scout runs one web process today, and a restart only forgives a minute of
 * calls. Several processes would each allow the full limit; move this to the
 * database (or Redis) before scaling out.
 */
export class SlidingWindowLimit {
  private readonly calls = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a call; returns the seconds to wait when the key is over its limit, else 0. */
  take(key: string): number {
    const now = this.now();
    const recent = (this.calls.get(key) ?? []).filter((at) => at > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.calls.set(key, recent);
      return Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
    }
    recent.push(now);
    this.calls.set(key, recent);
    this.forgetIdle(now);
    return 0;
  }

  /** Keeps the map from growing with keys that went quiet. */
  private forgetIdle(now: number) {
    if (this.calls.size < 1000) return;
    for (const [key, times] of this.calls) if (times.every((at) => at <= now - this.windowMs)) this.calls.delete(key);
  }
}
