import { describe, expect, it } from 'vitest';
import { runningLabel } from './running-label';

describe('the running query label', () => {
  it('says the whole seconds run so far and the time limit', () => {
    expect(runningLabel(3_900, 30)).toBe('Running… 3 s · stops after 30 s');
  });

  it('starts at 0 s', () => {
    expect(runningLabel(0, 30)).toBe('Running… 0 s · stops after 30 s');
    expect(runningLabel(-5, 30)).toBe('Running… 0 s · stops after 30 s');
  });
});
