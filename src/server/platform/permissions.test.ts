import { describe, expect, it } from 'vitest';
import { DOMAIN_ACTIONS } from '../../shared/permissions';
import { ROLES } from '../../shared/tenants';
import type { AppError } from './http/errors';
import { authorize, can, canFlags } from './permissions';

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
