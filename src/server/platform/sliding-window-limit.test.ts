import { describe, expect, it } from 'vitest';
import { SlidingWindowLimit } from './sliding-window-limit';

describe('tool call rate limit', () => {
  it('allows the limit within a minute, then says how long to wait, per token', () => {
    let now = 0;
    const limit = new SlidingWindowLimit(3, 60_000, () => now);
    expect([limit.take('a'), limit.take('a'), limit.take('a')]).toEqual([0, 0, 0]);
    now = 15_000;
    expect(limit.take('a')).toBe(45);
    expect(limit.take('b')).toBe(0);
    now = 60_001;
    expect(limit.take('a')).toBe(0);
  });
});
