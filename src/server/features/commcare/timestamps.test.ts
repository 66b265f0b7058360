import { describe, expect, it } from 'vitest';
import { normalizeTimestamp } from './timestamps';

describe('normalizeTimestamp', () => {
  it.each([
    ['2024-05-01T10:00:00.123456Z', '2024-05-01T10:00:00.123456'],
    ['2024-05-01T10:00:00.123456', '2024-05-01T10:00:00.123456'],
    ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.000000'],
    ['2024-05-01T10:00:00.5', '2024-05-01T10:00:00.500000'],
    ['2024-05-01T10:00:00.1234567', '2024-05-01T10:00:00.123456'],
    ['2024-05-01T10:00:00+00:00', '2024-05-01T10:00:00.000000'],
    ['2024-05-01', '2024-05-01T00:00:00.000000'],
    ['2024-05-01 10:00', '2024-05-01T10:00:00.000000'],
    ['2024-05-01T12:00:00.250+02:00', '2024-05-01T10:00:00.250000'],
  ])('brings %s to naive UTC %s', (input, expected) => {
    expect(normalizeTimestamp(input)).toBe(expected);
  });

  it('keeps the order of the instants it normalizes, as text', () => {
    const stamps = ['2024-05-01T10:00:00.000001Z', '2024-05-01T10:00:00Z', '2024-05-01T09:59:59.999999', '2024-05-01T12:00:00.000+02:01'];
    const sorted = stamps.map(normalizeTimestamp).sort();
    expect(sorted).toEqual(['2024-05-01T09:59:00.000000', '2024-05-01T09:59:59.999999', '2024-05-01T10:00:00.000000', '2024-05-01T10:00:00.000001']);
  });

  it('rejects text that is not a timestamp', () => {
    expect(() => normalizeTimestamp('yesterday')).toThrow(RangeError);
  });
});
