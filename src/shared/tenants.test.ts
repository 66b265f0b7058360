import { describe, expect, it } from 'vitest';
import { apiKeyCredentialSchema, domainNameSchema } from './tenants';

const messages = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) => result.error?.issues.map((i) => i.message) ?? [];

describe('the API-key credential', () => {
  it.each(['jane@example.org:abc123', 'Jane Doe:abc123', 'a:b', 'jane  doe@x:k'])('accepts %j', (value) => {
    expect(apiKeyCredentialSchema.safeParse(value).success).toBe(true);
  });

  it.each([':abc', 'jane:', 'jane :abc', 'jane', 'jane:ab c', 'ja:ne:abc'])('refuses %j', (value) => {
    expect(messages(apiKeyCredentialSchema.safeParse(value))).toEqual(['Enter it as username:apikey, e.g. jane@example.org:abc123']);
  });

  it('says only that an over-long value is too long, without running the pattern', () => {
    for (const value of ['x'.repeat(10_000), '😀'.repeat(5_000), `${'a '.repeat(5_000)}:`]) {
      expect(messages(apiKeyCredentialSchema.safeParse(value))).toEqual(['This credential is too long']);
    }
  });
});

describe('the domain name', () => {
  it('says only that an over-long name is too long', () => {
    expect(messages(domainNameSchema.safeParse('a-'.repeat(5_000)))).toEqual(['A domain name has at most 100 characters']);
  });
});
