import { describe, expect, it } from 'vitest';
import { formatDuration, formatRelativeTime, formatTimeLeft } from './format';

describe('formatDuration', () => {
  it('uses the two largest units that matter', () => {
    expect(formatDuration(400)).toBe('under 1 s');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(3_780_000)).toBe('1 h 3 min');
  });
});

describe('formatTimeLeft', () => {
  it('is only as precise as an estimate can be', () => {
    expect(formatTimeLeft(4)).toBe('a few seconds left');
    expect(formatTimeLeft(40)).toBe('less than a minute left');
    expect(formatTimeLeft(130)).toBe('about 2 min left');
    expect(formatTimeLeft(3 * 3600)).toBe('about 3 h left');
  });
});

describe('formatRelativeTime', () => {
  const now = Date.parse('2026-03-12T12:00:00Z');

  it('calls the last few seconds "just now", even from a clock running behind', () => {
    expect(formatRelativeTime('2026-03-12T11:59:30Z', now)).toBe('just now');
    expect(formatRelativeTime('2026-03-12T12:00:05Z', now)).toBe('just now');
  });

  it('uses the largest whole unit', () => {
    const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
    expect(formatRelativeTime('2026-03-12T11:55:00Z', now)).toBe(relative.format(-5, 'minute'));
    expect(formatRelativeTime('2026-03-12T09:00:00Z', now)).toBe(relative.format(-3, 'hour'));
    expect(formatRelativeTime('2026-03-11T12:00:00Z', now)).toBe(relative.format(-1, 'day'));
  });
});
