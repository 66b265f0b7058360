import type { TenantSummary } from '@shared/tenants';

/**
 * Which domain is active once the list has loaded:
 * 1. the one already active in this tab, if the user still has it (a refresh
 *    after a rename must not change what they are looking at);
 * 2. else the most recently selected one: the server lists those first, so
 *    this is the choice made before a reload or on another device;
 * 3. else, when the user has exactly one domain, that one — there is nothing
 *    to choose, and asking would only be a hurdle after connecting the first
 *    domain. It is recorded on the server like a choice so it survives reloads;
 * 4. else none: with several domains never chosen, a guess could have someone
 *    ask questions of the wrong project, so Chat asks them to pick one.
 */
export function chooseActiveDomain(
  domains: readonly TenantSummary[],
  currentId: string | null,
): { activeDomainId: string | null; autoSelected: string | null } {
  if (currentId && domains.some((d) => d.id === currentId)) return { activeDomainId: currentId, autoSelected: null };
  let lastSelected: TenantSummary | undefined;
  let lastSelectedAt = -Infinity;
  for (const d of domains) {
    const selectedAt = d.last_selected_at === null ? NaN : Date.parse(d.last_selected_at);
    if (selectedAt > lastSelectedAt) [lastSelected, lastSelectedAt] = [d, selectedAt];
  }
  if (lastSelected) return { activeDomainId: lastSelected.id, autoSelected: null };
  const [only] = domains;
  if (domains.length === 1 && only) return { activeDomainId: only.id, autoSelected: only.id };
  return { activeDomainId: null, autoSelected: null };
}
