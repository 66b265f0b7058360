import { describe, expect, it } from 'vitest';
import { DOMAIN_ACTIONS } from '../../shared/permissions';
import { ROLES } from '../../shared/tenants';
import type { AppError } from './http/errors';
import { authorize, can, canFlags, refuseRemoval, refuseRoleChange, type MemberRef } from './permissions';

/** The whole table, written out: a change to who may do what must change this test too. */
const EXPECTED = {
  'warehouse.view': { owner: true, admin: true, analyst: true },
  'warehouse.sync': { owner: true, admin: true, analyst: true },
  'warehouse.cancel': { owner: true, admin: true, analyst: true },
  'warehouse.teardown': { owner: true, admin: true, analyst: false },
  'data.query': { owner: true, admin: true, analyst: true },
  'audit.read': { owner: true, admin: true, analyst: false },
  'chat.use': { owner: true, admin: true, analyst: true },
  'connectors.view': { owner: true, admin: true, analyst: true },
  'connectors.manage': { owner: true, admin: true, analyst: false },
  'members.view': { owner: true, admin: true, analyst: true },
  'members.manage': { owner: true, admin: true, analyst: false },
  'questions.create': { owner: true, admin: true, analyst: true },
  'questions.manage': { owner: true, admin: true, analyst: false },
  'dashboards.share': { owner: true, admin: true, analyst: false },
  'warehouse.schedule': { owner: true, admin: true, analyst: false },
  'publications.draft': { owner: true, admin: true, analyst: true },
  'publications.approve': { owner: true, admin: true, analyst: false },
  'publications.auto': { owner: true, admin: false, analyst: false },
  'knowledge.suggest': { owner: true, admin: true, analyst: true },
  'knowledge.manage': { owner: true, admin: true, analyst: false },
} as const;

describe('the permission table', () => {
  it('answers every action for every role as written', () => {
    const table = Object.fromEntries(DOMAIN_ACTIONS.map((action) => [action, Object.fromEntries(ROLES.map((role) => [role, can({ role }, action)]))]));
    expect(table).toEqual(EXPECTED);
  });

  it('refuses with a 403 that says why, and gives the web the same answers as flags', () => {
    expect(() => authorize({ role: 'analyst' }, 'connectors.manage')).toThrowError(
      expect.objectContaining({ status: 403, message: expect.stringMatching(/^Only owners and admins/) }) as AppError,
    );
    expect(() => authorize({ role: 'admin' }, 'connectors.manage')).not.toThrow();
    for (const role of ROLES) {
      expect(canFlags({ role })).toEqual(Object.fromEntries(DOMAIN_ACTIONS.map((action) => [action, EXPECTED[action][role]])));
    }
  });
});

describe('the rules of one member acting on another', () => {
  const member = (role: MemberRef['role'], id: string = role): MemberRef => ({ membership_id: id, role });
  const verdict = (refusal: { status: number } | undefined) => refusal?.status ?? 'ok';

  it('removal: managers remove members but not the owner; anyone may leave but the owner, unless alone', () => {
    const rows = ROLES.flatMap((actor) => ROLES.map((target) => [actor, target, verdict(refuseRemoval(member(actor, 'a'), member(target, 'b'), 3))]));
    expect(rows).toEqual([
      ['owner', 'owner', 403],
      ['owner', 'admin', 'ok'],
      ['owner', 'analyst', 'ok'],
      ['admin', 'owner', 403],
      ['admin', 'admin', 'ok'],
      ['admin', 'analyst', 'ok'],
      ['analyst', 'owner', 403],
      ['analyst', 'admin', 403],
      ['analyst', 'analyst', 403],
    ]);
    expect(ROLES.map((role) => [role, verdict(refuseRemoval(member(role), member(role), 3))])).toEqual([
      ['owner', 409],
      ['admin', 'ok'],
      ['analyst', 'ok'],
    ]);
    expect(verdict(refuseRemoval(member('owner'), member('owner'), 1))).toBe('ok');
  });

  it('roles: only the owner hands ownership on, and the owner is never simply demoted', () => {
    const rows = ROLES.flatMap((actor) =>
      ROLES.flatMap((target) => ROLES.map((to) => [actor, target, to, verdict(refuseRoleChange(member(actor, 'a'), member(target, 'b'), to))])),
    ).filter(([, target]) => target !== 'owner');
    expect(rows.filter(([, , , v]) => v === 'ok')).toEqual([
      ['owner', 'admin', 'owner', 'ok'],
      ['owner', 'admin', 'admin', 'ok'],
      ['owner', 'admin', 'analyst', 'ok'],
      ['owner', 'analyst', 'owner', 'ok'],
      ['owner', 'analyst', 'admin', 'ok'],
      ['owner', 'analyst', 'analyst', 'ok'],
      ['admin', 'admin', 'admin', 'ok'],
      ['admin', 'admin', 'analyst', 'ok'],
      ['admin', 'analyst', 'admin', 'ok'],
      ['admin', 'analyst', 'analyst', 'ok'],
    ]);
    expect(verdict(refuseRoleChange(member('owner'), member('owner'), 'admin'))).toBe(409);
    expect(verdict(refuseRoleChange(member('admin', 'a'), member('owner', 'b'), 'admin'))).toBe(403);
  });
});
