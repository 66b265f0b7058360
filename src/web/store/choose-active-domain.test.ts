import { DOMAIN_ACTIONS, type Can } from '@shared/permissions';
import type { TenantSummary } from '@shared/tenants';
import { describe, expect, it } from 'vitest';
import { chooseActiveDomain } from './choose-active-domain';

function domain(id: string, lastSelectedAt: string | null = null): TenantSummary {
  return { id, provider: 'commcare', tenant_id: `domain-${id}`, tenant_name: `Domain ${id}`, role: 'owner', last_selected_at: lastSelectedAt, can: Object.fromEntries(DOMAIN_ACTIONS.map((a) => [a, true])) as Can };
}

describe('chooseActiveDomain', () => {
  it('keeps the domain active in this tab while the user still has it', () => {
    const domains = [domain('a', '2026-01-02T00:00:00Z'), domain('b')];
    expect(chooseActiveDomain(domains, 'b')).toEqual({ activeDomainId: 'b', autoSelected: null });
  });

  it('restores the most recently selected domain after a reload', () => {
    const domains = [domain('a', '2026-01-01T00:00:00Z'), domain('b', '2026-03-01T00:00:00Z'), domain('c')];
    expect(chooseActiveDomain(domains, null)).toEqual({ activeDomainId: 'b', autoSelected: null });
  });

  it('falls back to the most recently selected one when the active domain was removed', () => {
    const domains = [domain('b', '2026-01-01T00:00:00Z'), domain('c')];
    expect(chooseActiveDomain(domains, 'gone')).toEqual({ activeDomainId: 'b', autoSelected: null });
  });

  it('selects, and asks to remember, the only domain when none was ever chosen', () => {
    expect(chooseActiveDomain([domain('a')], null)).toEqual({ activeDomainId: 'a', autoSelected: 'a' });
  });

  it('leaves the choice to the user among several domains never chosen', () => {
    expect(chooseActiveDomain([domain('a'), domain('b')], null)).toEqual({ activeDomainId: null, autoSelected: null });
  });

  it('has nothing to choose without domains', () => {
    expect(chooseActiveDomain([], 'a')).toEqual({ activeDomainId: null, autoSelected: null });
  });
});
