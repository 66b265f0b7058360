/**
 * Counts the records of a CSV as its bytes arrive: line breaks outside quoted
 * fields end a record (a quoted field may hold line breaks of its own).
 */
export class CsvRecordCounter {
  private inQuotes = false;
  private records = 0;
  private open = false;

  /** Feeds the next piece of the file (decoded text; a quote is one code unit, so any split is safe). */
  push(text: string): void {
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code === 34 /* " */) {
        // A doubled quote inside a quoted field toggles twice: it stays quoted.
        this.inQuotes = !this.inQuotes;
        this.open = true;
      } else if (code === 10 /* \n */ && !this.inQuotes) {
        this.records++;
        this.open = false;
      } else if (code !== 13 /* \r */) {
        this.open = true;
      }
    }
  }

  /** Records seen so far, the header included; a last one without a line break counts too. */
  get count(): number {
    return this.records + (this.open ? 1 : 0);
  }

  /** Data rows: the records less the header line. */
  get rows(): number {
    return Math.max(0, this.count - 1);
  }
}

/** The file name a `Content-Disposition` header gives (`filename*=` wins over `filename=`), or the fallback. */
export function fileNameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return safeName(decodeURIComponent(extended[1].trim()), fallback);
    } catch {
      // A malformed escape: fall through to the plain name.
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/.exec(header);
  const name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2]?.trim();
  return name ? safeName(name, fallback) : fallback;
}

/** Only the last path segment: a name never picks the folder. */
function safeName(name: string, fallback: string): string {
  const base = name.split(/[/\\]/).pop()?.trim();
  return base || fallback;
}
