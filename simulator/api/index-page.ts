import { type Hono } from 'hono';
import { assignedLocationIds } from './access';
import { type SimContext, type SimEnv } from './env';
import { isLocationRestricted } from '../roles';

/**
 * GET <basePath>/ (`/simulator` inside Scout): a plain HTML page listing the
 * domains, the demo users with their credentials and roles, and the API.
 */

const escape = (value: string) => value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const ENDPOINTS: [string, string][] = [
  ['GET /api/v0.5/identity/', 'who am I (id, username, names, email)'],
  ['GET /api/v0.5/user_domains/', 'my project spaces'],
  ['GET /a/&lt;domain&gt;/api/case/v2/', 'cases, cursor paging; location-restricted users get only their cases'],
  ['GET /a/&lt;domain&gt;/api/v0.5/case/', 'cases, offset paging; HQ filter parameters'],
  ['GET /a/&lt;domain&gt;/api/v0.5/form/', 'forms; xmlns, xmlns.exact, app_id, case_id, form.meta.userID, date ranges'],
  ['GET /a/&lt;domain&gt;/api/v0.5/application/', 'applications with modules, forms and questions'],
  ['GET /a/&lt;domain&gt;/api/v0.5/user/', 'mobile workers (locations, groups, user_data)'],
  ['GET /a/&lt;domain&gt;/api/v0.5/web-user/', 'web users with role, is_admin, permissions (needs edit_web_users)'],
  ['GET /a/&lt;domain&gt;/api/v0.5/group/', 'groups'],
  ['GET /a/&lt;domain&gt;/api/location/v2/', 'locations (state, districts, facilities, villages); a restricted user sees their subtree'],
  ['GET /a/&lt;domain&gt;/api/v0.5/location_type/', 'location types'],
  ['GET /a/&lt;domain&gt;/api/v0.5/lookup_table/', 'lookup tables; rows at lookup_table_item/ and fixture/'],
  ['POST /a/&lt;domain&gt;/api/v0.5/sso/', 'username + password: my own web-user record (role, permissions.access_all_locations)'],
  ['GET/POST /oauth/authorize/, POST /oauth/token/', 'OAuth2 (client scout / scout-secret)'],
  ['GET /_sim', 'the simulator itself: domains, counts, users, faults (JSON)'],
];

function usersTable(ctx: SimContext): string {
  const rows = ctx.users.users.map((user) => {
    const roles = user.domains.map((domain) => {
      const role = user.roles[domain]!;
      const data = ctx.domains.get(domain);
      if (!isLocationRestricted(role) || !data) return `${escape(domain)}: ${escape(role.name)}`;
      const places = assignedLocationIds(data.gen.program, role).map((id) => data.gen.program.locations.byId.get(id)!);
      const where = places.map((p) => `${escape(p.name)} (${escape(p.typeCode)}, site code ${escape(p.siteCode)}, id ${p.id})`).join(', ');
      return `${escape(domain)}: ${escape(role.name)}, restricted to ${where} and the locations below`;
    });
    return `<tr><td>${escape(user.username)}</td><td><code>${escape(user.password)}</code></td><td><code>${escape(user.apiKey)}</code></td><td>${roles.join('<br>') || 'member of no domain'}</td></tr>`;
  });
  return `<table><tr><th>username (= email)</th><th>password</th><th>API key</th><th>role per domain</th></tr>${rows.join('')}</table>`;
}

export function registerIndexPage(app: Hono<SimEnv>, ctx: SimContext): void {
  app.get('/', (c) => {
    const domains = [...ctx.domains.values()]
      .map((d) => `<li><code>${escape(d.domain)}</code> (${escape(d.gen.program.projectName)}): ${d.caseCount()} cases, ${d.formCount()} forms, ${d.gen.program.workers.length} mobile workers, ${d.gen.program.locations.all.length} locations</li>`)
      .join('');
    const endpoints = ENDPOINTS.map(([path, what]) => `<tr><td><code>${path}</code></td><td>${what}</td></tr>`).join('');
    return c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CommCare HQ simulator</title>
<style>body{font-family:system-ui,sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}code{background:#f4f4f4;padding:0 .2rem}</style></head>
<body><h1>CommCare HQ simulator</h1>
<p>A stand-in for CommCare HQ's REST API over generated data. Authenticate with <code>Authorization: ApiKey &lt;username&gt;:&lt;API key&gt;</code>, HTTP Basic or Digest with the password, or an OAuth bearer token.</p>
<h2>Domains</h2><ul>${domains}</ul>
<h2>Users</h2>${usersTable(ctx)}
<p>Location-restricted users (no <code>access_all_locations</code>) see only the cases owned by their locations and the mobile workers there on case API v2, and only their locations on the location API. How the other APIs answer them: <code>${ctx.restrictedUserAccess}</code> (HQ denies views that are not location-safe).</p>
<h2>API</h2><table>${endpoints}</table>
</body></html>`);
  });
}
