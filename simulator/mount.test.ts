import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { serve, type HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from './index';
import { DEMO_AUTH, DOMAIN } from './test-support';

/** Mounted inside a host Hono app (as Scout does), requests passed through unchanged with the node bindings. */

describe('mounted inside another app', () => {
  let server: Server;
  let origin: string;
  let simulator: Simulator;

  beforeAll(async () => {
    simulator = createSimulator({ cases: 30, basePath: '/simulator', rateLimit: false });
    const host = new Hono<{ Bindings: HttpBindings }>();
    host.get('/healthz', (c) => c.text('ok'));
    host.all('/simulator/*', (c) => simulator.app.fetch(c.req.raw, c.env));
    server = await new Promise<Server>((resolve) => {
      const instance = serve({ fetch: host.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
      instance.once('listening', () => resolve(instance));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  });

  it('serves the API and links back to the mount point', async () => {
    const response = await fetch(`${origin}/simulator/a/${DOMAIN}/api/case/v2/?limit=20`, { headers: DEMO_AUTH });
    expect(response.status).toBe(200);
    const page = (await response.json()) as { next: string };
    expect(page.next.startsWith(`${origin}/simulator/a/${DOMAIN}/api/case/v2/?cursor=`)).toBe(true);
    expect((await fetch(page.next, { headers: DEMO_AUTH })).status).toBe(200);
    expect(await (await fetch(`${origin}/healthz`)).text()).toBe('ok');
  });

  it('serves the overview page at the mount point, listing both demo users', async () => {
    for (const path of ['/simulator', '/simulator/']) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      const html = await response.text();
      for (const text of ['demo@example.com', 'demo-password', 'demo-key', 'field-supervisor@example.com', 'supervisor-password', 'supervisor-key', 'Field Supervisor', 'Kisumu East', '/api/location/v2/']) {
        expect(html).toContain(text);
      }
    }
  });

  it('resets the connection through the host server', async () => {
    simulator.setFaults({ failNext: [{ count: 1, kind: 'reset' }] });
    const response = await fetch(`${origin}/simulator/a/${DOMAIN}/api/case/v2/`, { headers: DEMO_AUTH });
    await expect(response.text()).rejects.toThrow();
    expect((await fetch(`${origin}/simulator/a/${DOMAIN}/api/case/v2/`, { headers: DEMO_AUTH })).status).toBe(200);
  });
});
