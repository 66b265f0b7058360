import type { ApiErrorBody } from '@shared/errors';
import type { FieldErrors } from './field-errors';

export const NETWORK_ERROR = 'NETWORK_ERROR';
const NETWORK_ERROR_MESSAGE = "Can't reach Scout. Check your connection and try again.";

interface ApiErrorInit {
  status: number;
  message: string;
  code: string;
  fields?: FieldErrors;
  requestId?: string;
}

/** Every failed request surfaces as one of these, whatever went wrong. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  readonly code: string;
  readonly fields: FieldErrors;
  /** Present on unexpected server errors so support can find the log line. */
  readonly requestId: string | undefined;

  constructor({ status, message, code, fields = {}, requestId }: ApiErrorInit) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.requestId = requestId;
  }

  get hasFieldErrors(): boolean {
    return Object.keys(this.fields).length > 0;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/**
 * Any caught value as an `ApiError`. Something else is a bug rather than a
 * failed request: it is logged for developers and the user gets a way out.
 */
export function asApiError(error: unknown, message = 'Something went wrong. Please try again.'): ApiError {
  if (isApiError(error)) return error;
  console.error(error);
  return new ApiError({ status: 0, code: 'CLIENT_ERROR', message });
}

export interface RequestOptions {
  signal?: AbortSignal;
  /**
   * Takes a non-2xx answer as the result instead of an error, for endpoints
   * whose failure bodies are results in their own right (the data tools' envelopes).
   */
  acceptBody?: (status: number, payload: unknown) => boolean;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function request<T>(baseUrl: string, method: Method, path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    // A caller that aborted on purpose wants to know that, not see a connection problem.
    if (options.signal?.aborted) throw error;
    throw networkError(0);
  }

  const payload = await readBody(response);
  if (payload === NOT_JSON) throw networkError(response.status);
  if (response.ok || options.acceptBody?.(response.status, payload)) return payload as T;
  throw errorFromBody(response.status, payload);
}

const NOT_JSON = Symbol('not JSON');

/** The parsed JSON body, `undefined` for an empty one (204), or NOT_JSON. */
async function readBody(response: Response): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return NOT_JSON;
  }
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not Scout answering: a proxy's HTML error page, a captive portal, a dev server without the API.
    return NOT_JSON;
  }
}

function networkError(status: number): ApiError {
  return new ApiError({ status, code: NETWORK_ERROR, message: NETWORK_ERROR_MESSAGE });
}

/** The `ApiError` for a failed response's parsed body (an `ApiErrorBody`, or anything else). */
function errorFromBody(status: number, payload: unknown): ApiError {
  if (!isApiErrorBody(payload)) {
    return new ApiError({ status, code: 'UNEXPECTED_RESPONSE', message: 'Something went wrong. Please try again.' });
  }
  return new ApiError({
    status,
    message: payload.error,
    code: payload.code,
    fields: payload.fields,
    requestId: payload.requestId,
  });
}

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Partial<Record<keyof ApiErrorBody, unknown>>;
  return (
    typeof body.error === 'string' &&
    typeof body.code === 'string' &&
    (body.fields === undefined || isFieldErrors(body.fields)) &&
    (body.requestId === undefined || typeof body.requestId === 'string')
  );
}

function isFieldErrors(value: unknown): value is FieldErrors {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every(
      (messages) => Array.isArray(messages) && messages.every((message) => typeof message === 'string'),
    )
  );
}

/** A client for Scout at `baseUrl`; the app uses its own origin (''). */
export function createApiClient(baseUrl = '') {
  return {
    get: <T>(path: string, options?: RequestOptions) => request<T>(baseUrl, 'GET', path, undefined, options),
    post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>(baseUrl, 'POST', path, body, options),
    /** Replaces the resource at `path` (a schedule) with `body`. */
    put: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>(baseUrl, 'PUT', path, body, options),
    patch: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>(baseUrl, 'PATCH', path, body, options),
    /** `body` for the few deletions that carry a confirmation (deleting the account). */
    delete: <T>(path: string, options?: RequestOptions, body?: unknown) => request<T>(baseUrl, 'DELETE', path, body, options),
  };
}

/** Scout's HTTP API: same origin, session cookie, JSON both ways; failures throw `ApiError`. */
export const api = createApiClient();
