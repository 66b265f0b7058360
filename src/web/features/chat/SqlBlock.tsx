import { CopyButton } from '@/components/copy-button';
import { cn } from '@/lib/cn';
import { highlightSql, type SqlTokenKind } from './highlight-sql';

const COLORS: Record<SqlTokenKind, string> = {
  keyword: 'text-sky-700 dark:text-sky-300 font-semibold',
  string: 'text-emerald-700 dark:text-emerald-300',
  number: 'text-amber-700 dark:text-amber-300',
  comment: 'text-muted-foreground italic',
  identifier: 'text-violet-700 dark:text-violet-300',
  plain: '',
};

/** The SQL the agent ran, coloured, with a copy button. */
export function SqlBlock({ sql }: { sql: string }) {
  return (
    <div className="relative rounded-md border bg-muted/40">
      <pre className="max-h-60 overflow-auto p-3 pr-12 font-mono text-xs leading-relaxed whitespace-pre-wrap break-words" aria-label="SQL">
        <code>
          {highlightSql(sql).map((token, index) => (
            <span key={index} className={cn(COLORS[token.kind])}>
              {token.text}
            </span>
          ))}
        </code>
      </pre>
      <CopyButton text={sql} label="Copy SQL" iconOnly className="absolute top-1.5 right-1.5" />
    </div>
  );
}
