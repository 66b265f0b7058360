import { hashString, hexId } from './prng';

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
}

function user(fields: Omit<SimulatorUser, 'id' | 'email'>): SimulatorUser {
  return { id: hexId(hashString(fields.username)), email: fields.username, ...fields };
}

/**
 * Fixed, printable credentials: a demo user in every domain, one in only the
 * first domain and one in none, so 403 paths are reachable with any domain list.
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
}
