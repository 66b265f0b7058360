import type { Logger } from '../logger';

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  createdAt: Date;
}

/** What middleware puts on every request's context. */
export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    /** Set by `requireSession` on routes that need a signed-in user. */
    user: SessionUser;
    sessionId: string;
  };
}
