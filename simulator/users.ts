import { hashString, hexId } from './prng';
import { adminRole, fieldSupervisorRole, type DomainRole } from './roles';

/** A web user of the simulated HQ. HQ web users' usernames are their email addresses. */
export interface SimulatorUser {
  id: string;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  password: string;
  apiKey: string;
  domains: string[];
  /** The user's role in each of `domains`. */
  roles: Readonly<Record<string, DomainRole>>;
}

/** The district the demo supervisor is restricted to (site code in every generated domain). */
export const SUPERVISOR_DISTRICT = 'kisumu_east';

function user(fields: Omit<SimulatorUser, 'id' | 'email' | 'roles'>, role: () => DomainRole = adminRole): SimulatorUser {
  const roles = Object.fromEntries(fields.domains.map((domain) => [domain, role()]));
  return { id: hexId(hashString(fields.username)), email: fields.username, ...fields, roles };
}

/**
 * Fixed, printable credentials: a demo admin in every domain, one admin of
 * only the first domain, one user in none (so 403 paths are reachable with
 * any domain list), and a location-restricted supervisor in the first domain.
 */
export function defaultUsers(domains: readonly string[]): SimulatorUser[] {
  return [
    user({ username: 'demo@example.com', firstName: 'Demo', lastName: 'User', password: 'demo-password', apiKey: 'demo-key', domains: [...domains] }),
    user({
      username: 'limited@example.com',
      firstName: 'Lina',
      lastName: 'Mwangi',
      password: 'limited-password',
      apiKey: 'limited-key',
      domains: domains.slice(0, 1),
    }),
    user({ username: 'outsider@example.com', firstName: 'Omar', lastName: 'Said', password: 'outsider-password', apiKey: 'outsider-key', domains: [] }),
    user(
      {
        username: 'field-supervisor@example.com',
        firstName: 'Faith',
        lastName: 'Achieng',
        password: 'supervisor-password',
        apiKey: 'supervisor-key',
        domains: domains.slice(0, 1),
      },
      () => fieldSupervisorRole([SUPERVISOR_DISTRICT]),
    ),
  ];
}

export class UserDirectory {
  private readonly byUsername: Map<string, SimulatorUser>;

  constructor(readonly users: readonly SimulatorUser[]) {
    // HQ usernames are case-insensitive (stored lowercased).
    this.byUsername = new Map(users.map((u) => [u.username.toLowerCase(), u]));
  }

  find(username: string): SimulatorUser | undefined {
    return this.byUsername.get(username.trim().toLowerCase());
  }

  withApiKey(username: string, apiKey: string): SimulatorUser | undefined {
    const found = this.find(username);
    return found && found.apiKey === apiKey ? found : undefined;
  }

  withPassword(username: string, password: string): SimulatorUser | undefined {
    const found = this.find(username);
    return found && found.password === password ? found : undefined;
  }

  /** Web users who are members of a domain, in username order (WebUser.by_domain). */
  membersOf(domain: string): SimulatorUser[] {
    return this.users.filter((u) => u.domains.includes(domain)).sort((a, b) => (a.username < b.username ? -1 : 1));
  }
}
