import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINKEDIN_MEMBERS, renderLittleText, SOCIAL_CLIENT, startDefaultLinkedInSimulator } from './index';
import type { RunningLinkedInSimulator } from './linkedin';

/** The LinkedIn simulator: 3-legged OAuth with 60-day tokens, userinfo, Images then Posts on the versioned REST API. */

const REDIRECT = 'http://localhost:3999/api/connectors/oauth/linkedin/callback';
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const REST = { 'LinkedIn-Version': '202605', 'X-Restli-Protocol-Version': '2.0.0', 'content-type': 'application/json' };
let li: RunningLinkedInSimulator;

beforeAll(async () => {
  li = await startDefaultLinkedInSimulator();
});
afterAll(async () => {
  await li.close();
});

async function accessToken(scope = 'openid profile w_member_social r_member_social'): Promise<{ access_token: string; expires_in: number; refresh_token?: string }> {
  const query = new URLSearchParams({ response_type: 'code', client_id: SOCIAL_CLIENT.id, redirect_uri: REDIRECT, scope, state: 's' });
  const redirect = new URL((await fetch(`${li.url}/oauth/v2/authorization?${query}`, { redirect: 'manual' })).headers.get('location')!);
  const response = await fetch(`${li.url}/oauth/v2/accessToken`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: redirect.searchParams.get('code')!, redirect_uri: REDIRECT, client_id: SOCIAL_CLIENT.id, client_secret: SOCIAL_CLIENT.secret }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as never;
}

describe('LinkedIn simulator', () => {
  it('issues 60-day tokens without a refresh token, and refuses a wrong client secret', async () => {
    const token = await accessToken();
    expect(token.expires_in).toBe(60 * 86_400);
    expect(token.refresh_token).toBeUndefined();
    const query = new URLSearchParams({ response_type: 'code', client_id: SOCIAL_CLIENT.id, redirect_uri: REDIRECT, scope: 'openid profile', state: 's' });
    const code = new URL((await fetch(`${li.url}/oauth/v2/authorization?${query}`, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
    const refused = await fetch(`${li.url}/oauth/v2/accessToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: SOCIAL_CLIENT.id, client_secret: 'wrong' }),
    });
    expect(refused.status).toBe(401);
  });

  it('answers userinfo; 401 once expired, 429 with Retry-After', async () => {
    const { access_token } = await accessToken();
    const auth = { authorization: `Bearer ${access_token}` };
    expect(await (await fetch(`${li.url}/v2/userinfo`, { headers: auth })).json()).toMatchObject({ sub: LINKEDIN_MEMBERS[0]!.sub, name: 'Dana Field' });
    li.sim.faults.rateLimitNext('userinfo', 30);
    const limited = await fetch(`${li.url}/v2/userinfo`, { headers: auth });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    li.sim.setTokenExpiry(-1, access_token);
    const expired = await fetch(`${li.url}/v2/userinfo`, { headers: auth });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ serviceErrorCode: 65602 });
  });

  it('uploads an image, posts with it (id in x-restli-id) and lists the post', async () => {
    const { access_token } = await accessToken();
    const author = `urn:li:person:${LINKEDIN_MEMBERS[0]!.sub}`;
    const headers = { ...REST, authorization: `Bearer ${access_token}` };
    const init = await fetch(`${li.url}/rest/images?action=initializeUpload`, { method: 'POST', headers, body: JSON.stringify({ initializeUploadRequest: { owner: author } }) });
    const { value } = (await init.json()) as { value: { uploadUrl: string; image: string } };
    expect((await fetch(value.uploadUrl, { method: 'PUT', headers: { authorization: `Bearer ${access_token}` }, body: PNG })).status).toBe(201);
    const post = {
      author,
      commentary: 'Visits \\(weekly\\): 42 \\#health',
      visibility: 'PUBLIC',
      distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
      content: { media: { id: value.image, altText: 'A chart' } },
      lifecycleState: 'PUBLISHED',
      isReshareDisabledByAuthor: false,
    };
    const created = await fetch(`${li.url}/rest/posts`, { method: 'POST', headers, body: JSON.stringify(post) });
    expect(created.status).toBe(201);
    const id = created.headers.get('x-restli-id')!;
    expect(id.startsWith('urn:li:share:')).toBe(true);
    const listed = (await (await fetch(`${li.url}/rest/posts?q=author&author=${encodeURIComponent(author)}&count=10`, { headers })).json()) as { elements: Array<{ id: string; commentary: string }> };
    expect(listed.elements[0]).toMatchObject({ id, commentary: post.commentary });
    expect(renderLittleText(listed.elements[0]!.commentary)).toBe('Visits (weekly): 42 #health');

    const unversioned = await fetch(`${li.url}/rest/posts`, { method: 'POST', headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' }, body: JSON.stringify(post) });
    expect(unversioned.status).toBe(400);
    expect(await unversioned.json()).toMatchObject({ code: 'VERSION_MISSING' });
  });

  it('refuses the author finder without r_member_social', async () => {
    const { access_token } = await accessToken('openid profile w_member_social');
    const author = `urn:li:person:${LINKEDIN_MEMBERS[0]!.sub}`;
    const refused = await fetch(`${li.url}/rest/posts?q=author&author=${encodeURIComponent(author)}`, { headers: { ...REST, authorization: `Bearer ${access_token}` } });
    expect(refused.status).toBe(403);
  });
});
