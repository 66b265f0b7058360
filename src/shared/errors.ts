/**
 * The one JSON shape every error response has, on every route.
 * `fields` maps a request path ("email", "items.0.name") to its messages and
 * appears only on validation errors.
 */
export interface ApiErrorBody {
  error: string;
  code: string;
  fields?: Record<string, string[]>;
  /** Present on unexpected (500) errors so support can find the log line. */
  requestId?: string;
}

export const ERROR_CODES = {
  validation: 'VALIDATION_ERROR',
  unauthenticated: 'UNAUTHENTICATED',
  notFound: 'NOT_FOUND',
  conflict: 'CONFLICT',
  rateLimited: 'RATE_LIMITED',
  invalidCredentials: 'INVALID_CREDENTIALS',
  forbidden: 'FORBIDDEN',
  internal: 'INTERNAL_ERROR',
  unavailable: 'SERVICE_UNAVAILABLE',
} as const;
