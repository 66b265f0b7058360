import { Hono } from 'hono';
import { updateMemberSchema } from '../../../shared/members';
import { parseBody } from '../../platform/http/body';
import type { TenantEnv } from '../tenants/scope';
import { presentMembers } from './presenter';
import type { MemberService } from './service';

/** Mounted at /api/tenants/<membership id> (tenant scope resolved there): the domain's members and their roles. */
export function membersRouter(deps: { members: MemberService }) {
  const router = new Hono<TenantEnv>();

  router.get('/members', async (c) => c.json(presentMembers(c.get('membership'), await deps.members.list(c.get('membership')))));

  router.patch('/members/:memberId', async (c) => {
    const { role } = await parseBody(c, updateMemberSchema);
    const actor = c.get('membership');
    const members = await deps.members.changeRole(actor, c.req.param('memberId'), role);
    // The caller's own role may have changed (handing ownership on makes them admin): answer from where they stand now.
    const now = { ...actor, role: members.find((m) => m.membership_id === actor.membership_id)?.role ?? actor.role };
    return c.json(presentMembers(now, await deps.members.list(now)));
  });

  router.delete('/members/:memberId', async (c) => {
    await deps.members.remove(c.get('membership'), c.req.param('memberId'));
    return c.body(null, 204);
  });

  return router;
}
