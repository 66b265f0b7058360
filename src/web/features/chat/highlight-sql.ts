export type SqlTokenKind = 'keyword' | 'string' | 'number' | 'comment' | 'identifier' | 'plain';
export interface SqlToken {
  kind: SqlTokenKind;
  text: string;
}

const KEYWORDS = new Set(
  (
    'select from where group by order having limit offset join left right inner outer full cross on as and or not in is null ' +
    'case when then else end distinct count sum avg min max with union all except intersect between like ilike asc desc ' +
    'nulls first last filter over partition date_trunc cast coalesce true false interval extract any exists lateral using'
  ).split(' '),
);

const TOKEN = /(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^']|'')*'?)|("(?:[^"]|"")*"?)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_$]*)|(\s+|[^\sA-Za-z0-9_'"-]+|-)/g;

/** Splits SQL into tokens for colouring; the texts joined are the input, unchanged. */
export function highlightSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  for (const match of sql.matchAll(TOKEN)) {
    const [text, comment, string, quoted, number, word] = match;
    const kind: SqlTokenKind = comment
      ? 'comment'
      : string
        ? 'string'
        : quoted
          ? 'identifier'
          : number
            ? 'number'
            : word && KEYWORDS.has(word.toLowerCase())
              ? 'keyword'
              : 'plain';
    const previous = tokens.at(-1);
    if (previous && previous.kind === kind && kind === 'plain') previous.text += text;
    else tokens.push({ kind, text });
  }
  return tokens;
}
