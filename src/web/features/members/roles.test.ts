import { describe, expect, it } from 'vitest';
import { describeChange } from './roles';

const at = '2026-12-01T10:00:00Z';

describe('describeChange', () => {
  it('says each kind of change in a sentence', () => {
    expect(describeChange({ at, actor: 'Olive', member: 'Sam', action: 'role_changed', from_role: 'analyst', to_role: 'admin' })).toBe('Olive made Sam an admin (was analyst).');
    expect(describeChange({ at, actor: 'Olive', member: 'Sam', action: 'ownership_transferred', from_role: 'admin', to_role: 'owner' })).toBe('Olive handed ownership to Sam.');
    expect(describeChange({ at, actor: null, member: 'Tia', action: 'removed', from_role: 'analyst', to_role: null })).toBe('Someone removed Tia (analyst).');
    expect(describeChange({ at, actor: 'Sam', member: 'Sam', action: 'left', from_role: 'admin', to_role: null })).toBe('Sam left the domain.');
  });
});
