import type { UIMessage } from 'ai';

/** Rough tokens in a message: about four characters a token, tool outputs counted as the model sees them (capped). */
export function estimateTokens(message: UIMessage): number {
  let chars = 0;
  for (const part of message.parts) {
    if (part.type === 'text' || part.type === 'reasoning') chars += part.text.length;
    else if (part.type.startsWith('tool-') || part.type === 'dynamic-tool') chars += Math.min(JSON.stringify(part).length, 12_000);
    else chars += JSON.stringify(part).length;
  }
  return Math.ceil(chars / 4) + 4;
}

/**
 * The most recent messages that fit the token budget, dropping whole turns from
 * the start so the kept history begins with a question. A tool call and its
 * result live in the same UI message part, so they are kept or dropped together.
 * The latest message (the question being asked) is always kept.
 */
export function trimHistory<M extends UIMessage>(messages: M[], budgetTokens: number): M[] {
  if (messages.length === 0) return messages;
  let used = 0;
  let start = messages.length;
  for (let i = messages.length - 1; i >= 0; i--) {
    const cost = estimateTokens(messages[i]!);
    if (start < messages.length && used + cost > budgetTokens) break;
    used += cost;
    start = i;
  }
  // Never open on an assistant answer whose question was dropped.
  while (start < messages.length - 1 && messages[start]!.role !== 'user') start++;
  return messages.slice(start);
}
