import { startLinkedInSimulator, type LinkedInSimulatorOptions, type RunningLinkedInSimulator } from './linkedin';
import { startXSimulator, type RunningXSimulator, type XSimulatorOptions } from './x';

/**
 * Simulators of the social networks Scout publishes to (X, LinkedIn), beside
 * the CommCare HQ one: each a Hono app on its own port, speaking the
 * provider's documented HTTP API, with one registered client and a couple of
 * accounts.
 */

export { createXSimulator, startXSimulator, weightedLength, type XSimulator, type XTweet, type XUser } from './x';
export { createLinkedInSimulator, renderLittleText, startLinkedInSimulator, type LinkedInMember, type LinkedInPost, type LinkedInSimulator } from './linkedin';

export const SOCIAL_CLIENT = { id: 'scout-social', secret: 'scout-social-secret' } as const;

export const X_USERS = [
  { id: '1602000000000000001', name: 'Demo Clinic', username: 'demo_clinic' },
  { id: '1602000000000000002', name: 'Other Project', username: 'other_project' },
];

export const LINKEDIN_MEMBERS = [
  { sub: 'a1B2c3D4e5', name: 'Dana Field', given_name: 'Dana', family_name: 'Field' },
  { sub: 'z9Y8x7W6v5', name: 'Ola Other', given_name: 'Ola', family_name: 'Other' },
];

export function startDefaultXSimulator(options: Partial<XSimulatorOptions> = {}): Promise<RunningXSimulator> {
  return startXSimulator({ clients: { [SOCIAL_CLIENT.id]: SOCIAL_CLIENT.secret }, users: X_USERS, autoApprove: X_USERS[0]!.id, ...options });
}

export function startDefaultLinkedInSimulator(options: Partial<LinkedInSimulatorOptions> = {}): Promise<RunningLinkedInSimulator> {
  return startLinkedInSimulator({ clients: { [SOCIAL_CLIENT.id]: SOCIAL_CLIENT.secret }, members: LINKEDIN_MEMBERS, autoApprove: LINKEDIN_MEMBERS[0]!.sub, ...options });
}
