/**
 * What to tell the user when a question failed. `useChat` surfaces a refused
 * request (429, 404, 413…) as an Error whose message is the response body, so
 * Scout's `{error}` JSON is unwrapped; a stream error's text is already meant
 * for people.
 */
export function chatErrorMessage(error: Error): string {
  const text = error.message.trim();
  if (text.startsWith('{')) {
    try {
      const body = JSON.parse(text) as { error?: unknown };
      if (typeof body.error === 'string') return body.error;
    } catch {
      // Not JSON after all: fall through.
    }
  }
  if (/failed to fetch|networkerror|load failed/i.test(text)) return "Can't reach Scout. Check your connection and try again.";
  return text || 'Something went wrong while answering. Try again.';
}
