export { CommCareClient, DEFAULT_HQ_BASE_URL, type CaseStreamOptions, type CommCareClientOptions, type StreamOptions } from './client';
export { parseApiKeyCredential, InvalidCredentialFormatError, type CommCareCredentials } from './credentials';
export * from './errors';
export { DEFAULT_RETRY_POLICY, type RetryEvent, type RetryPolicy } from './http';
export type * from './types';
