import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCIAL_CLIENT, startDefaultXSimulator, weightedLength, X_USERS } from './index';
import type { RunningXSimulator } from './x';

/** The X simulator speaks X's OAuth 2.0 (PKCE, rotating refresh tokens) and v2 shapes. */

const REDIRECT = 'http://localhost:3999/api/connectors/oauth/x/callback';
const BASIC = `Basic ${Buffer.from(`${SOCIAL_CLIENT.id}:${SOCIAL_CLIENT.secret}`).toString('base64')}`;
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
let x: RunningXSimulator;

beforeAll(async () => {
  x = await startDefaultXSimulator();
});
afterAll(async () => {
  await x.close();
});

async function authorize(verifier: string, scope = 'tweet.read tweet.write users.read offline.access media.write'): Promise<URL> {
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const query = new URLSearchParams({ response_type: 'code', client_id: SOCIAL_CLIENT.id, redirect_uri: REDIRECT, scope, state: 'st-1', code_challenge: challenge, code_challenge_method: 'S256' });
  const response = await fetch(`${x.url}/i/oauth2/authorize?${query}`, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location')!);
}

const token = (form: Record<string, string>, authorization = BASIC) =>
  fetch(`${x.url}/2/oauth2/token`, { method: 'POST', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });

async function tokens(): Promise<{ access_token: string; refresh_token: string; expires_in: number; scope: string; token_type: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const code = (await authorize(verifier)).searchParams.get('code')!;
  const response = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier });
  expect(response.status).toBe(200);
  return (await response.json()) as never;
}

describe('X simulator', () => {
  it('exchanges a code only with the PKCE verifier that matches its challenge, once', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const redirect = await authorize(verifier);
    expect(redirect.searchParams.get('state')).toBe('st-1');
    const code = redirect.searchParams.get('code')!;
    const wrong = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: randomBytes(32).toString('base64url') });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: 'invalid_request', error_description: 'Value passed for the authorization code was invalid.' });
    // The failed attempt used the code up.
    const again = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(again.status).toBe(400);
  });

  it('wants the client authenticated with HTTP Basic', async () => {
    const refused = await token({ grant_type: 'refresh_token', refresh_token: 'x' }, `Basic ${Buffer.from(`${SOCIAL_CLIENT.id}:wrong`).toString('base64')}`);
    expect(refused.status).toBe(401);
  });

  it('rotates refresh tokens: the used one stops working', async () => {
    const first = await tokens();
    expect(first).toMatchObject({ token_type: 'bearer', expires_in: 7200, scope: 'tweet.read tweet.write users.read offline.access media.write' });
    const renewed = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(renewed.status).toBe(200);
    const second = (await renewed.json()) as { refresh_token: string; access_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const reused = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(reused.status).toBe(400);
  });

  it('answers users/me, 401 for an expired token and 429 with x-rate-limit-reset', async () => {
    const { access_token } = await tokens();
    const me = await fetch(`${x.url}/2/users/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(await me.json()).toEqual({ data: X_USERS[0] });
    x.sim.faults.rateLimitNext('users.me', 120);
    const limited = await fetch(`${x.url}/2/users/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('x-rate-limit-reset'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 119);
    x.sim.expireAccessTokens(access_token);
    const expired = await fetch(`${x.url}/2/users/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ title: 'Unauthorized', status: 401 });
  });

  it('posts a tweet with uploaded media and lists it back; refuses duplicates and over-long text', async () => {
    const { access_token } = await tokens();
    const auth = { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' };
    const upload = await fetch(`${x.url}/2/media/upload`, { method: 'POST', headers: auth, body: JSON.stringify({ media: PNG.toString('base64'), media_category: 'tweet_image', media_type: 'image/png' }) });
    const media = ((await upload.json()) as { data: { id: string; media_key: string } }).data;
    expect(media.media_key).toBe(`3_${media.id}`);
    const posted = await fetch(`${x.url}/2/tweets`, { method: 'POST', headers: auth, body: JSON.stringify({ text: 'Weekly visits: 42 https://example.org/report', media: { media_ids: [media.id] } }) });
    expect(posted.status).toBe(201);
    const tweet = ((await posted.json()) as { data: { id: string; text: string } }).data;
    expect(tweet.text.startsWith('Weekly visits: 42 https://t.co/')).toBe(true);
    const listed = await fetch(`${x.url}/2/users/${X_USERS[0]!.id}/tweets?max_results=5&tweet.fields=entities&expansions=attachments.media_keys`, { headers: auth });
    const body = (await listed.json()) as { data: Array<{ id: string; entities: { urls: Array<{ expanded_url: string }> } }>; includes: { media: unknown[] } };
    expect(body.data[0]!.id).toBe(tweet.id);
    expect(body.data[0]!.entities.urls[0]!.expanded_url).toBe('https://example.org/report');
    expect(body.includes.media).toEqual([{ media_key: media.media_key, type: 'photo' }]);

    const duplicate = await fetch(`${x.url}/2/tweets`, { method: 'POST', headers: auth, body: JSON.stringify({ text: 'Weekly visits: 42 https://example.org/report' }) });
    expect(duplicate.status).toBe(403);
    expect(await duplicate.json()).toMatchObject({ detail: 'You are not allowed to create a Tweet with duplicate content.' });
    const long = await fetch(`${x.url}/2/tweets`, { method: 'POST', headers: auth, body: JSON.stringify({ text: 'a'.repeat(281) }) });
    expect(long.status).toBe(403);
  });

  it('counts like twitter-text: links 23, wide characters 2', () => {
    expect(weightedLength('hello')).toBe(5);
    expect(weightedLength(`see https://example.org/${'a'.repeat(100)}`)).toBe(4 + 23);
    expect(weightedLength('日本')).toBe(4);
  });
});
