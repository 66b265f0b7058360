import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../net';
import { parseAllowList } from './egress-allow';
import { blockedRange, Egress, EgressError, EgressRefused, type Resolver } from './egress';

/** A local HTTP server whose routes the tests write; every request it saw is kept. */
interface LocalServer {
  port: number;
  origin: string;
  seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

async function localServer(route: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void): Promise<LocalServer> {
  const seen: LocalServer['seen'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      route(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A resolver from a table: no real DNS involved. */
function fakeDns(table: Record<string, string[]>, calls: string[] = []): Resolver {
  return async (hostname) => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

async function refusal(promise: Promise<unknown>): Promise<EgressError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EgressError);
  return error as EgressError;
}

describe('blocked address ranges', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.255.254', 'a loopback address'],
    ['10.0.0.1', 'a private network address'],
    ['10.255.255.255', 'a private network address'],
    ['172.16.0.1', 'a private network address'],
    ['172.31.255.254', 'a private network address'],
    ['192.168.1.1', 'a private network address'],
    ['169.254.169.254', 'a link-local address, where cloud metadata services answer'],
    ['100.64.0.1', 'a carrier-grade NAT address'],
    ['100.127.255.254', 'a carrier-grade NAT address'],
    ['0.0.0.0', 'an unspecified address'],
    ['0.1.2.3', 'an unspecified address'],
    ['224.0.0.1', 'a multicast address'],
    ['255.255.255.255', 'the broadcast address'],
    ['::1', 'a loopback address'],
    ['::', 'an unspecified address'],
    ['fc00::1', 'a private network address'],
    ['fd00:ec2::254', 'a private network address'],
    ['fe80::1', 'a link-local address, where cloud metadata services answer'],
    ['ff02::1', 'a multicast address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['::ffff:10.0.0.1', 'a private network address'],
    ['::ffff:169.254.169.254', 'a link-local address, where cloud metadata services answer'],
  ])('refuses %s (%s)', (address, why) => {
    expect(blockedRange(address)).toBe(why);
  });

  it('refuses IPv6 forms that embed an IPv4 address and reserved ranges', () => {
    for (const address of ['64:ff9b::a9fe:a9fe', '2002:a9fe:a9fe::1', '2001:db8::1', '192.0.2.1', '198.18.0.1', '240.0.0.1']) {
      expect(blockedRange(address), address).toMatch(/^a reserved address/);
    }
  });

  it('lets public unicast addresses through, just outside the private ranges too', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '172.15.255.255', '100.128.0.1', '11.0.0.1', '169.255.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(blockedRange(address), address).toBeUndefined();
    }
  });
});

describe('vetting a URL', () => {
  const egress = new Egress({ resolve: fakeDns({ 'intranet.example': ['10.0.0.1'], 'metadata.example': ['169.254.169.254'], 'mixed.example': ['93.184.215.14', '10.1.2.3'], 'v6.example': ['fd00::5'], 'public.example': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'] }) });

  it('refuses literal private and metadata addresses, however the URL spells them', async () => {
    for (const [url, address] of [
      ['http://127.0.0.1/wp-json', '127.0.0.1'],
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
      ['https://[::1]:8443/', '::1'],
      ['http://[::ffff:169.254.169.254]/', '::ffff:a9fe:a9fe'],
      ['http://2130706433/', '127.0.0.1'],
      ['http://0x7f.1/', '127.0.0.1'],
      ['http://0/', '0.0.0.0'],
      ['http://[fe80::1]/', 'fe80::1'],
    ] as const) {
      const error = await refusal(egress.vet(url));
      expect(error, url).toBeInstanceOf(EgressRefused);
      expect((error as EgressRefused).address).toBe(address);
    }
    const metadata = await refusal(egress.vet('http://169.254.169.254/'));
    expect(metadata.message).toBe(
      "Scout does not connect to private or local addresses (169.254.169.254 is a link-local address, where cloud metadata services answer). Use the site's public address; a Scout administrator can allow a local server with SCOUT_EGRESS_ALLOW.",
    );
  });

  it('refuses names that resolve to a private address, any one of them', async () => {
    const intranet = await refusal(egress.vet('https://intranet.example/'));
    expect(intranet).toMatchObject({ reason: 'refused', host: 'intranet.example', address: '10.0.0.1' });
    expect(intranet.message).toContain('(intranet.example resolves to 10.0.0.1, a private network address)');
    expect(await refusal(egress.vet('http://metadata.example/computeMetadata/v1/'))).toMatchObject({ address: '169.254.169.254' });
    expect(await refusal(egress.vet('https://mixed.example/'))).toMatchObject({ address: '10.1.2.3' });
    expect(await refusal(egress.vet('https://v6.example/'))).toMatchObject({ address: 'fd00::5' });
  });

  it('refuses localhost through the real resolver', async () => {
    const real = new Egress();
    const error = await refusal(real.vet('http://localhost:8080/'));
    expect(error).toBeInstanceOf(EgressRefused);
    expect(error.message).toContain('localhost resolves to');
  });

  it('accepts a public name with every address it resolves to', async () => {
    const vetted = await egress.vet('https://public.example/blog');
    expect(vetted.addresses.map((a) => a.address)).toEqual(['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c']);
  });

  it('only takes http(s) URLs without credentials in them', async () => {
    for (const url of ['ftp://public.example/', 'file:///etc/passwd', 'gopher://public.example/', 'not a url', 'javascript:alert(1)']) {
      expect(await refusal(egress.vet(url)), url).toMatchObject({ reason: 'invalid_url' });
    }
    const withPassword = await refusal(egress.vet('https://admin:hunter2@public.example/'));
    expect(withPassword.reason).toBe('invalid_url');
    expect(withPassword.message).not.toContain('hunter2');
  });

  it('says plainly when a name does not exist', async () => {
    const error = await refusal(egress.vet('https://no-such-site.example/'));
    expect(error).toMatchObject({ reason: 'not_found', message: 'Scout could not find no-such-site.example: check the address' });
  });
});

describe('the allow list (SCOUT_EGRESS_ALLOW)', () => {
  it('parses host and host:port entries, IPv6 too, and names bad ones', () => {
    expect(parseAllowList(' localhost:8080, 127.0.0.1 ,[::1]:9000,::1,WordPress.Local,')).toEqual({
      hosts: [
        { hostname: 'localhost', port: 8080 },
        { hostname: '127.0.0.1', port: undefined },
        { hostname: '[::1]', port: 9000 },
        { hostname: '[::1]', port: undefined },
        { hostname: 'wordpress.local', port: undefined },
      ],
      problems: [],
    });
    expect(parseAllowList('http://x,host:99999,a b,[::1').problems).toEqual([
      '"http://x" is a URL; give only the host (and port), e.g. localhost:8080',
      '"host:99999" has a port that is not a number from 1 to 65535',
      '"a b" is not a host name or address',
      '"[::1" has no closing ]',
    ]);
  });

  it('lets a listed host through even though it is private, and only on its port when one is named', async () => {
    const egress = new Egress({ allow: ['localhost:8080', '10.0.0.1'], resolve: fakeDns({ localhost: ['127.0.0.1'] }) });
    await expect(egress.vet('http://localhost:8080/')).resolves.toMatchObject({ addresses: [{ address: '127.0.0.1' }] });
    await expect(egress.vet('http://localhost:8081/')).rejects.toBeInstanceOf(EgressRefused);
    await expect(egress.vet('http://10.0.0.1:1234/')).resolves.toBeDefined();
    await expect(egress.vet('http://10.0.0.2/')).rejects.toBeInstanceOf(EgressRefused);
    // The name is what is listed, not the address it resolves to.
    await expect(egress.vet('http://127.0.0.1:8080/')).rejects.toBeInstanceOf(EgressRefused);
  });

  it('is empty by default', async () => {
    await expect(new Egress().vet('http://127.0.0.1:8080/')).rejects.toBeInstanceOf(EgressRefused);
  });
});

describe('fetching through the guard', () => {
  let site: LocalServer;
  let other: LocalServer;
  const big = 'x'.repeat(64 * 1024);

  beforeAll(async () => {
    other = await localServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ at: 'other', authorization: req.headers.authorization ?? null }));
    });
    site = await localServer((req, res, body) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const to = url.searchParams.get('to');
      if (url.pathname === '/hello') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ hello: 'world', host: req.headers.host, method: req.method, body }));
      } else if (url.pathname === '/redirect' && to) {
        res.writeHead(Number(url.searchParams.get('status') ?? 302), { location: to });
        res.end();
      } else if (url.pathname === '/loop') {
        res.writeHead(302, { location: '/loop' });
        res.end();
      } else if (url.pathname === '/big') {
        res.setHeader('content-type', 'text/plain');
        if (url.searchParams.has('chunked')) {
          res.write(big);
          res.end(big);
        } else res.end(big + big);
      } else if (url.pathname === '/slow') {
        // Never answers.
      } else {
        res.writeHead(404);
        res.end('not here');
      }
    });
  });
  afterAll(async () => {
    await site?.close();
    await other?.close();
  });

  const guard = (extra: Partial<ConstructorParameters<typeof Egress>[0]> = {}) => new Egress({ allow: [`127.0.0.1:${site.port}`], ...extra });

  it('fetches from an allowed local server and returns status, headers and body', async () => {
    const response = await guard().fetch(`${site.origin}/hello`, { method: 'POST', body: 'ping', headers: { 'content-type': 'text/plain' } });
    expect(response).toMatchObject({ status: 200, ok: true, url: `${site.origin}/hello` });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.json()).toEqual({ hello: 'world', host: `127.0.0.1:${site.port}`, method: 'POST', body: 'ping' });
  });

  it('refuses a redirect from an allowed server to a blocked address, without connecting there', async () => {
    const egress = guard({ resolve: fakeDns({ 'intranet.example': ['10.0.0.1'] }) });
    for (const to of ['http://169.254.169.254/latest/meta-data/iam/', `http://127.0.0.1:${other.port}/`, 'http://intranet.example/', `http://[::1]:${other.port}/`]) {
      const error = await refusal(egress.fetch(`${site.origin}/redirect?to=${encodeURIComponent(to)}`));
      expect(error, to).toBeInstanceOf(EgressRefused);
    }
    expect(other.seen).toEqual([]);
  });

  it('follows redirects to allowed hosts, at most five', async () => {
    const egress = new Egress({ allow: [`127.0.0.1:${site.port}`, `localhost:${other.port}`] });
    const followed = await egress.fetch(`${site.origin}/redirect?to=${encodeURIComponent(`http://localhost:${other.port}/x`)}`);
    expect(followed).toMatchObject({ status: 200, url: `http://localhost:${other.port}/x` });

    const before = site.seen.length;
    const error = await refusal(guard().fetch(`${site.origin}/loop`));
    expect(error).toMatchObject({ reason: 'too_many_redirects' });
    expect(site.seen.length - before).toBe(6);
  });

  it('does not hand credentials to another origin on a redirect, but keeps them on the same one', async () => {
    const egress = new Egress({ allow: [`127.0.0.1:${site.port}`, `localhost:${other.port}`] });
    const headers = { authorization: 'Basic c2VjcmV0OnBhc3M=' };
    const elsewhere = await egress.fetch(`${site.origin}/redirect?to=${encodeURIComponent(`http://localhost:${other.port}/`)}`, { headers });
    expect(elsewhere.json()).toEqual({ at: 'other', authorization: null });
    await egress.fetch(`${site.origin}/redirect?to=/hello`, { headers });
    expect(site.seen.at(-1)).toMatchObject({ url: '/hello', headers: { authorization: 'Basic c2VjcmV0OnBhc3M=' } });
  });

  it('turns a POST into a GET without a body on a 303, and resends it on a 307', async () => {
    const seeOther = await guard().fetch(`${site.origin}/redirect?status=303&to=/hello`, { method: 'POST', body: 'data' });
    expect(seeOther.json()).toMatchObject({ method: 'GET', body: '' });
    const temporary = await guard().fetch(`${site.origin}/redirect?status=307&to=/hello`, { method: 'POST', body: 'data' });
    expect(temporary.json()).toMatchObject({ method: 'POST', body: 'data' });
  });

  it('connects to the address it checked, not to what the name resolves to later (DNS rebinding)', async () => {
    const calls: string[] = [];
    let answers = 0;
    // First answer: the vetted (allowed) address; any later lookup would get the metadata address.
    const rebinding: Resolver = async (hostname) => {
      calls.push(hostname);
      return [{ address: answers++ === 0 ? '127.0.0.1' : '169.254.169.254', family: 4 }];
    };
    const egress = new Egress({ allow: [`rebind.example:${site.port}`], resolve: rebinding });
    const response = await egress.fetch(`http://rebind.example:${site.port}/hello`);
    expect(response.json()).toMatchObject({ hello: 'world', host: `rebind.example:${site.port}` });
    expect(calls).toEqual(['rebind.example']);
  });

  it('caps the body it reads, declared or streamed', async () => {
    const egress = guard({ maxBytes: 100 * 1024 });
    expect(await refusal(egress.fetch(`${site.origin}/big`))).toMatchObject({ reason: 'too_large' });
    expect(await refusal(egress.fetch(`${site.origin}/big?chunked=1`))).toMatchObject({ reason: 'too_large' });
    expect((await guard().fetch(`${site.origin}/big?chunked=1`)).body.length).toBe(128 * 1024);
  });

  it('gives up after its timeout', async () => {
    const started = performance.now();
    const error = await refusal(guard({ timeoutMs: 300 }).fetch(`${site.origin}/slow`));
    expect(error).toMatchObject({ reason: 'timeout', message: `127.0.0.1:${site.port} did not answer within 300 ms` });
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('says when nothing listens at the address', async () => {
    const port = await findFreePort();
    const error = await refusal(new Egress({ allow: [`127.0.0.1:${port}`] }).fetch(`http://127.0.0.1:${port}/`));
    expect(error).toMatchObject({ reason: 'unreachable', message: `Nothing answered at 127.0.0.1:${port}: check the address, and that the site is up` });
  });
});
