import { describe, expect, it } from 'vitest';
import { splitPageLinks } from './page-links';

describe('splitPageLinks', () => {
  it('turns the pages a message names into links and keeps its words', () => {
    expect(splitPageLinks('You have already connected this domain. Edit it on the Connections page to change its key.')).toEqual([
      'You have already connected this domain. Edit it on the ',
      { text: 'Connections page', href: '/settings/connections' },
      ' to change its key.',
    ]);
    expect(splitPageLinks('Wait for it to finish or cancel it on the Data page, then try again.')).toEqual([
      'Wait for it to finish or cancel it on the ',
      { text: 'Data page', href: '/data' },
      ', then try again.',
    ]);
  });

  it('links "Sign in instead?" where the page says it should go', () => {
    expect(splitPageLinks('An account with this email already exists. Sign in instead?', { 'sign-in': '/sign-in?next=%2Fdata' })).toEqual([
      'An account with this email already exists. ',
      { text: 'Sign in instead?', href: '/sign-in?next=%2Fdata' },
    ]);
  });

  it('leaves a message that names no page as it is', () => {
    expect(splitPageLinks('CommCare did not accept this username and API key')).toEqual(['CommCare did not accept this username and API key']);
  });
});
