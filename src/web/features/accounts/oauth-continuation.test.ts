import { describe, expect, it } from 'vitest';
import { oauthAccountPageHref, oauthAsksForSignIn, oauthContinuation } from './oauth-continuation';

/** What the authorization server sends the sign-in page: the client's request, then its signature. */
const signed = (extra: Record<string, string> = {}) =>
  new URLSearchParams([
    ['response_type', 'code'],
    ['client_id', 'abc'],
    ['redirect_uri', 'http://127.0.0.1:4567/callback'],
    ['code_challenge', 'xyz'],
    ['code_challenge_method', 'S256'],
    ['state', 's t&a=te'],
    ['scope', 'mcp:tools mcp:sync offline_access'],
    ['resource', 'http://localhost:3000/mcp'],
    ...Object.entries(extra),
    ['exp', '1760000000'],
    ['ba_iat', '1760000000000'],
    ['ba_param', 'client_id'],
    ['ba_param', 'exp'],
    ['sig', 'c2lnbmF0dXJl'],
  ]);

const queryOf = (path: string) => new URLSearchParams(path.slice(path.indexOf('?') + 1));

describe('oauthContinuation', () => {
  it('continues at the authorize endpoint with the client’s own query, signature removed', () => {
    const path = oauthContinuation(signed())!;
    expect(path.startsWith('/api/auth/oauth2/authorize?')).toBe(true);
    expect([...queryOf(path)]).toEqual([
      ['response_type', 'code'],
      ['client_id', 'abc'],
      ['redirect_uri', 'http://127.0.0.1:4567/callback'],
      ['code_challenge', 'xyz'],
      ['code_challenge_method', 'S256'],
      ['state', 's t&a=te'],
      ['scope', 'mcp:tools mcp:sync offline_access'],
      ['resource', 'http://localhost:3000/mcp'],
    ]);
  });

  it('keeps repeated parameters', () => {
    const search = signed();
    search.append('resource', 'http://localhost:3000/mcp/other');
    expect(queryOf(oauthContinuation(search)!).getAll('resource')).toEqual(['http://localhost:3000/mcp', 'http://localhost:3000/mcp/other']);
  });

  it('drops the sign-in prompt and max_age the fresh sign-in has answered, keeping other prompts', () => {
    const query = queryOf(oauthContinuation(signed({ prompt: 'login consent', max_age: '0' }))!);
    expect(query.get('prompt')).toBe('consent');
    expect(query.has('max_age')).toBe(false);
    expect(queryOf(oauthContinuation(signed({ prompt: 'create' }))!).has('prompt')).toBe(false);
  });

  it('stays on this origin whatever the query holds', () => {
    const path = oauthContinuation(signed({ next: '//evil.example/', redirect: 'https://evil.example/' }))!;
    expect(new URL(path, 'https://scout.example.org').origin).toBe('https://scout.example.org');
    expect(new URL(path, 'https://scout.example.org').pathname).toBe('/api/auth/oauth2/authorize');
  });

  it.each([
    ['an ordinary sign-in', new URLSearchParams()],
    ['a next path', new URLSearchParams({ next: '/data' })],
    ['a query without the signature', new URLSearchParams({ client_id: 'abc', redirect_uri: 'http://127.0.0.1/cb' })],
    ['a signature without a client', new URLSearchParams({ sig: 'x', exp: '1' })],
    ['an empty client id', new URLSearchParams({ client_id: '', sig: 'x' })],
  ])('is null for %s', (_, search) => {
    expect(oauthContinuation(search)).toBeNull();
  });
});

describe('oauthAsksForSignIn', () => {
  it('is true when the client asked for a fresh sign-in', () => {
    expect(oauthAsksForSignIn(signed({ prompt: 'login' }))).toBe(true);
    expect(oauthAsksForSignIn(signed({ prompt: 'consent create' }))).toBe(true);
    expect(oauthAsksForSignIn(signed({ max_age: '300' }))).toBe(true);
  });

  it('is false otherwise', () => {
    expect(oauthAsksForSignIn(signed())).toBe(false);
    expect(oauthAsksForSignIn(signed({ prompt: 'consent' }))).toBe(false);
  });
});

describe('oauthAccountPageHref', () => {
  it('carries the whole signed request to the other account page', () => {
    const search = signed();
    expect(oauthAccountPageHref('/sign-up', search)).toBe(`/sign-up?${search.toString()}`);
  });
});
