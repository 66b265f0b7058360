import { describe, expect, it } from 'vitest';
import { schemaNameFor } from './schema-name';

describe('schemaNameFor', () => {
  it('is a safe lowercase identifier that starts with the domain', () => {
    const name = schemaNameFor('commcare', 'https://www.commcarehq.org', 'Demo-Clinic.2024');
    expect(name).toMatch(/^t_demo_clinic_2024_[0-9a-f]{10}$/);
  });

  it('never collides for domains that sanitize alike, or for the same domain on another server', () => {
    const names = new Set([
      schemaNameFor('commcare', 'https://www.commcarehq.org', 'a-b'),
      schemaNameFor('commcare', 'https://www.commcarehq.org', 'a_b'),
      schemaNameFor('commcare', 'https://www.commcarehq.org', 'a.b'),
      schemaNameFor('commcare', 'https://eu.commcarehq.org', 'a-b'),
      schemaNameFor('commcare_connect', 'https://www.commcarehq.org', 'a-b'),
    ]);
    expect(names.size).toBe(5);
  });

  it('stays within 63 bytes for the longest domain names', () => {
    expect(schemaNameFor('commcare', 'https://www.commcarehq.org', 'x'.repeat(100)).length).toBeLessThanOrEqual(63);
  });

  it('is stable across calls', () => {
    expect(schemaNameFor('commcare', 'u', 'd')).toBe(schemaNameFor('commcare', 'u', 'd'));
  });
});
