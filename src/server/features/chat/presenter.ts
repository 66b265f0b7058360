import type { UIMessage } from 'ai';
import type { ChatThread, ChatThreadSummary } from '../../../shared/chat';
import type { ThreadRow } from './repo';

export function presentThread(row: ThreadRow): ChatThreadSummary {
  return { id: row.id, title: row.title, created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString() };
}

export function presentThreadWithMessages(row: ThreadRow, messages: UIMessage[]): ChatThread {
  return { ...presentThread(row), messages };
}
