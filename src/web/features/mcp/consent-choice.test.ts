import { describe, expect, it } from 'vitest';
import { initialDomainChoice, isNavigableRedirect, togglePicked } from './consent-choice';

const domain = (membership_id: string, granted = false) => ({ membership_id, domain: membership_id, name: membership_id, role: 'analyst', granted });

describe('initialDomainChoice', () => {
  it('ticks what an earlier consent to the client allowed', () => {
    expect(initialDomainChoice([domain('a'), domain('b', true), domain('c', true)])).toEqual(['b', 'c']);
  });

  it('ticks the only domain there is', () => {
    expect(initialDomainChoice([domain('a')])).toEqual(['a']);
  });

  it('leaves the choice to the user among several', () => {
    expect(initialDomainChoice([domain('a'), domain('b')])).toEqual([]);
    expect(initialDomainChoice([])).toEqual([]);
  });
});

describe('togglePicked', () => {
  it('keeps the order the domains were picked in', () => {
    expect(togglePicked(togglePicked(['b'], 'a', true), 'c', true)).toEqual(['b', 'a', 'c']);
  });

  it('drops an unticked domain', () => {
    expect(togglePicked(['b', 'a'], 'b', false)).toEqual(['a']);
  });

  it('does not pick a domain twice', () => {
    expect(togglePicked(['a'], 'a', true)).toEqual(['a']);
  });
});

describe('isNavigableRedirect', () => {
  it.each(['http://127.0.0.1:4567/callback?code=x&state=y', 'https://claude.ai/api/mcp/auth_callback?code=x', 'cursor://anysphere.cursor-mcp/oauth/callback?code=x'])('sends the browser to %s', (uri) => {
    expect(isNavigableRedirect(uri)).toBe(true);
  });

  it.each(['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,<script>1</script>', 'not a url', ''])('refuses %s', (uri) => {
    expect(isNavigableRedirect(uri)).toBe(false);
  });
});
