import { describe, expect, it } from 'vitest';
import { InvalidCredentialFormatError, parseApiKeyCredential } from './credentials';

describe('parseApiKeyCredential', () => {
  it('splits username and key at the last colon and trims spaces', () => {
    expect(parseApiKeyCredential('  jane@example.org:abc123 ')).toEqual({ kind: 'api_key', username: 'jane@example.org', apiKey: 'abc123' });
  });

  it.each(['', 'no-colon', ':key', 'user:', ' : '])('rejects %j with a message showing the expected form', (value) => {
    expect(() => parseApiKeyCredential(value)).toThrow(InvalidCredentialFormatError);
    expect(() => parseApiKeyCredential(value)).toThrow(/username:apikey/);
  });
});
