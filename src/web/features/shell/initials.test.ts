import { describe, expect, it } from 'vitest';
import { initialsOf } from './initials';

describe('initialsOf', () => {
  it('takes the first letters of the first and last names', () => {
    expect(initialsOf({ name: 'Ada Mary Lovelace', email: 'ada@example.org' })).toBe('AL');
  });

  it('uses one letter for a single name', () => {
    expect(initialsOf({ name: 'amara', email: 'amara@example.org' })).toBe('A');
  });

  it('falls back to the email address when the name has no letters', () => {
    expect(initialsOf({ name: '  ', email: 'zoe@example.org' })).toBe('Z');
  });

  it('handles letters outside ASCII', () => {
    expect(initialsOf({ name: 'Émile Żółw', email: 'e@example.org' })).toBe('ÉŻ');
  });
});
