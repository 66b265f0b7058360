/**
 * What can go wrong talking to CommCare HQ, as types a caller can act on.
 * Messages are written for the person connecting a domain and never contain
 * an API key, a token or an Authorization header.
 */
export class CommCareError extends Error {
  override name = 'CommCareError';
  constructor(
    message: string,
    /** HTTP status from HQ, when there was a response. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** HQ rejected the credentials (wrong, expired or deactivated key or token). */
export class CommCareAuthError extends CommCareError {
  override name = 'CommCareAuthError';
}

/** Valid credentials, but no access: not a member of the domain, or the plan has no API access. */
export class CommCarePermissionError extends CommCareError {
  override name = 'CommCarePermissionError';
}

/** The domain (project space) or resource does not exist on this HQ server. */
export class CommCareNotFoundError extends CommCareError {
  override name = 'CommCareNotFoundError';
}

/** HQ kept answering 429 after every retry Scout allows itself. */
export class CommCareRateLimitError extends CommCareError {
  override name = 'CommCareRateLimitError';
}

/** HQ could not be reached or kept failing (5xx, timeouts, resets, malformed pages) after retries. */
export class CommCareUnavailableError extends CommCareError {
  override name = 'CommCareUnavailableError';
}

/** HQ refused the request itself (400): a bug in how Scout asked, not a passing fault. */
export class CommCareRequestError extends CommCareError {
  override name = 'CommCareRequestError';
}

/** HQ pointed at another origin (a next-page link); nothing was sent there. */
export class CommCareForeignLinkError extends CommCareError {
  override name = 'CommCareForeignLinkError';
}
