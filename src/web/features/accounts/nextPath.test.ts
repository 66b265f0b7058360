import { describe, expect, it } from 'vitest';
import { accountPageHref, HOME_PATH, nextPathFrom } from './nextPath';

const origin = 'https://scout.example.org';

describe('nextPathFrom', () => {
  it('returns a same-origin path with its query and hash', () => {
    expect(nextPathFrom('/data?table=cases#top', origin)).toBe('/data?table=cases#top');
  });

  it('falls back to Chat when there is no next path', () => {
    expect(nextPathFrom(null, origin)).toBe(HOME_PATH);
    expect(nextPathFrom('', origin)).toBe(HOME_PATH);
  });

  it.each([
    ['protocol-relative URL', '//evil.example/phish'],
    ['backslash trick', '/\\evil.example'],
    ['absolute URL', 'https://evil.example/'],
    ['javascript URL', 'javascript:alert(1)'],
    ['relative path', 'chat'],
    ['tab hidden in the slashes', '/\t/evil.example'],
  ])('refuses a %s', (_, next) => {
    expect(nextPathFrom(next, origin)).toBe(HOME_PATH);
  });

  it('does not send a freshly signed-in user back to an account page', () => {
    expect(nextPathFrom('/sign-in?next=/data', origin)).toBe(HOME_PATH);
    expect(nextPathFrom('/sign-up', origin)).toBe(HOME_PATH);
  });
});

describe('accountPageHref', () => {
  it('carries the next path over, encoded', () => {
    expect(accountPageHref('/sign-up', '/data?x=1')).toBe('/sign-up?next=%2Fdata%3Fx%3D1');
  });

  it('links plainly when there is no next path', () => {
    expect(accountPageHref('/sign-in', null)).toBe('/sign-in');
  });
});
