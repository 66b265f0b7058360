/** Text as every target gets it: escaped for HTML, split into paragraphs. Data from CommCare is text, never markup. */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  let out = '';
  for (const char of text) out += HTML_ESCAPES[char] ?? char;
  return out;
}

/** Paragraphs: the text split at blank lines, each trimmed, empty ones dropped. */
export function paragraphs(text: string): string[] {
  const lines = text.replaceAll('\r\n', '\n').split('\n');
  const out: string[] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') {
      if (current.length) out.push(current.join('\n').trim());
      current = [];
    } else current.push(line);
  }
  if (current.length) out.push(current.join('\n').trim());
  return out;
}
