import type { ChatModelStatus, ChatThread, ChatThreadSummary } from '@shared/chat';
import { api, type RequestOptions } from './client';

const threadsPath = (membershipId: string) => `/api/tenants/${encodeURIComponent(membershipId)}/threads`;
const threadPath = (membershipId: string, threadId: string) => `${threadsPath(membershipId)}/${encodeURIComponent(threadId)}`;

/** The chat agent's model and the user's conversations about one domain (the answers themselves stream through useChat). */
export const chatApi = {
  /** The endpoint `useChat` posts a domain's questions to. */
  endpoint: (membershipId: string) => `/api/tenants/${encodeURIComponent(membershipId)}/chat`,
  model: (options?: RequestOptions) => api.get<ChatModelStatus>('/api/chat/model', options),
  /** Newest first. */
  threads: (membershipId: string, options?: RequestOptions) => api.get<ChatThreadSummary[]>(threadsPath(membershipId), options),
  thread: (membershipId: string, threadId: string, options?: RequestOptions) => api.get<ChatThread>(threadPath(membershipId, threadId), options),
  rename: (membershipId: string, threadId: string, title: string) => api.patch<ChatThreadSummary>(threadPath(membershipId, threadId), { title }),
  remove: (membershipId: string, threadId: string) => api.delete<void>(threadPath(membershipId, threadId)),
};
