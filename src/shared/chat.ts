import { z } from 'zod';

/** The longest question a user may send, in characters (about 2,000 tokens). */
export const MAX_QUESTION_CHARS = 8_000;
/** Titles are the first question, shortened to this. */
export const MAX_THREAD_TITLE_CHARS = 80;

const uuid = (what: string) => z.uuid(`${what} must be an id Scout gave you`);

/**
 * `POST /api/tenants/<membership id>/chat` (or `/api/chat` with `data.tenantId`):
 * what `useChat` with `DefaultChatTransport` sends, plus `data` naming the thread. Only the last message
 * is taken from the client: the history comes from the stored thread, so a
 * client can't put words (or tool results) in the assistant's mouth.
 */
export const chatRequestSchema = z.object({
  id: z.string().optional(),
  trigger: z.enum(['submit-message', 'regenerate-message']).optional(),
  messageId: z.string().optional(),
  messages: z
    .array(z.object({ id: z.string().min(1).max(100), role: z.string(), parts: z.array(z.object({ type: z.string() }).loose()) }).loose())
    .min(1, 'Send at least the question'),
  // `tenantId` is the membership id; only the /api/chat alias reads it (the name is the seeds' API).
  data: z.object({ tenantId: uuid('tenantId').optional(), threadId: uuid('threadId') }),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** `PATCH /api/tenants/<membership id>/threads/<thread id>`. */
export const renameThreadSchema = z.strictObject({
  title: z.string().trim().min(1, 'Give the conversation a title').max(MAX_THREAD_TITLE_CHARS, `Keep the title under ${MAX_THREAD_TITLE_CHARS} characters`),
});

export interface ChatThreadSummary {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
}

/** A thread with its messages exactly as they were streamed (AI SDK UI messages). */
export interface ChatThread extends ChatThreadSummary {
  messages: unknown[];
}

/** `GET /api/chat/model`: whether the agent can answer, and how to make it. */
export interface ChatModelStatus {
  configured: boolean;
  /** e.g. `openai:gpt-4o-mini`; null when none is configured. */
  model: string | null;
  /** Why it isn't configured and what to set. */
  help: string | null;
}

/** Message metadata the server attaches to assistant messages. */
export interface ChatMessageMetadata {
  /** Why the answer stopped early, if it did. */
  stopped?: 'user' | 'timeout';
}
