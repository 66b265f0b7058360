import type { WarehouseTable } from '@shared/warehouse';
import { ChevronRight, Eye, Search } from 'lucide-react';
import { Collapsible } from 'radix-ui';
import { useCallback, useId, useMemo, useState } from 'react';
import { toolsApi, type DescribedColumn } from '@/api/tools';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Skeleton } from '@/components/ui/skeleton';
import { cellText } from '@/features/data/csv';
import { formatRows } from '@/features/data/format';
import { useResource } from '@/lib/use-resource';
import { ExportButtons } from './ExportButtons';
import { searchTables } from './schema-search';
import { quoteIdentifier } from './sql-editor-handle';

interface SchemaBrowserProps {
  membershipId: string;
  tables: WarehouseTable[];
  /** Puts a name into the editor at the cursor. */
  onInsert: (text: string) => void;
  /** Runs a query at once (a table's preview). */
  onRun: (sql: string) => void;
}

/** The domain's tables and views, searchable by table or column; each opens onto its columns, a preview and an export. */
export function SchemaBrowser({ membershipId, tables, onInsert, onRun }: SchemaBrowserProps) {
  const searchId = useId();
  const [search, setSearch] = useState('');
  const matches = useMemo(() => searchTables(tables, search), [tables, search]);
  const searching = search.trim() !== '';

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2">
      <div className="relative px-3">
        <Search aria-hidden className="pointer-events-none absolute top-1/2 left-5.5 size-4 -translate-y-1/2 text-muted-foreground" />
        <label htmlFor={searchId} className="sr-only">
          Search tables and columns
        </label>
        <Input id={searchId} type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Search tables and columns" className="h-8 pl-8" />
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {matches.length === 0 ? (
          <p className="px-4 py-6 text-center text-sm text-muted-foreground">No table or column matches “{search.trim()}”.</p>
        ) : (
          <ul className="divide-y" aria-label="Tables and views">
            {matches.map((match) => (
              <li key={match.table.name}>
                {/* A search that found a table through its columns opens it on them. */}
                <TableItem
                  key={searching && match.byColumn ? `open:${search}` : 'closed'}
                  membershipId={membershipId}
                  table={match.table}
                  columns={match.columns}
                  defaultOpen={searching && match.byColumn}
                  onInsert={onInsert}
                  onRun={onRun}
                />
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

interface TableItemProps {
  membershipId: string;
  table: WarehouseTable;
  columns: WarehouseTable['columns'];
  defaultOpen: boolean;
  onInsert: (text: string) => void;
  onRun: (sql: string) => void;
}

function TableItem({ membershipId, table, columns, defaultOpen, onInsert, onRun }: TableItemProps) {
  const [open, setOpen] = useState(defaultOpen);
  const name = quoteIdentifier(table.name);
  return (
    <Collapsible.Root open={open} onOpenChange={setOpen} className="group/table">
      <h3 className="flex items-stretch">
        <Collapsible.Trigger
          title={table.description || undefined}
          className="flex min-w-0 flex-1 items-start gap-2 py-2 pr-1 pl-3 text-left outline-none hover:bg-accent/60 focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:ring-inset"
        >
          <ChevronRight aria-hidden className="mt-0.5 size-4 shrink-0 text-muted-foreground transition-transform group-data-[state=open]/table:rotate-90" />
          {/* The spaces between the parts keep the button's accessible name readable: "cases Table 1,000 rows". */}
          <span className="grid min-w-0 flex-1 gap-0.5">
            <span className="flex min-w-0 items-center gap-1.5">
              <span className="truncate font-mono text-sm font-medium">{table.name}</span>{' '}
              <Badge variant={table.kind === 'table' ? 'secondary' : 'outline'} className="px-1.5 py-0 text-[0.7rem]">
                {table.kind === 'table' ? 'Table' : 'View'}
              </Badge>
            </span>{' '}
            <span className="text-xs text-muted-foreground tabular-nums">{formatRows(table.row_count)}</span>
          </span>
        </Collapsible.Trigger>
        <button
          type="button"
          onClick={() => onInsert(name)}
          aria-label={`Insert ${table.name}`}
          title={`Insert ${table.name} at the cursor`}
          className="shrink-0 px-2.5 text-xs font-medium text-muted-foreground outline-none hover:bg-accent/60 hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:ring-inset"
        >
          Insert
        </button>
      </h3>
      <Collapsible.Content className="border-t bg-muted/30 px-3 py-2">
        {table.description && <p className="mb-2 text-xs break-words text-muted-foreground">{table.description}</p>}
        <div className="mb-2 flex flex-wrap items-center gap-2">
          <Button variant="outline" size="sm" className="h-7 px-2 text-xs" onClick={() => onRun(`SELECT * FROM ${name} LIMIT 100`)} aria-label={`Preview 100 rows of ${table.name}`}>
            <Eye aria-hidden />
            Preview 100 rows
          </Button>
          <ExportButtons membershipId={membershipId} sql={`SELECT * FROM ${name}`} csvOnly label="Export" className="justify-items-start [&_[role=group]]:justify-start" />
        </div>
        {open && <ColumnList membershipId={membershipId} table={table} columns={columns} onInsert={onInsert} />}
      </Collapsible.Content>
    </Collapsible.Root>
  );
}

/** The columns with type and description, and (once `describe_table` answers) a few sample values. */
function ColumnList({ membershipId, table, columns, onInsert }: { membershipId: string; table: WarehouseTable; columns: WarehouseTable['columns']; onInsert: (text: string) => void }) {
  const load = useCallback(async (signal: AbortSignal) => {
    const envelope = await toolsApi.describeTable(membershipId, table.name, { signal });
    return envelope.success ? new Map(envelope.data.columns.map((column) => [column.name, column])) : new Map<string, DescribedColumn>();
  }, [membershipId, table.name]);
  const described = useResource(load);
  const samplesOf = (column: string) => (described.status === 'loading' ? null : described.status === 'ready' ? (described.data.get(column)?.sample_values ?? []) : []);

  if (columns.length === 0) return <p className="text-xs text-muted-foreground">The data dictionary has no columns for this {table.kind}.</p>;
  return (
    <table className="w-full table-fixed text-left text-xs">
      <caption className="sr-only">Columns of {table.name}</caption>
      {/* A fixed layout takes its widths from here: the names get the room, the types a narrow column. */}
      <colgroup>
        <col />
        <col className="w-20" />
      </colgroup>
      <thead className="sr-only">
        <tr>
          <th scope="col">Column</th>
          <th scope="col">Type</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-border/60">
        {columns.map((column) => {
          const samples = samplesOf(column.name);
          return (
            <tr key={column.name} className="align-top">
              <th scope="row" className="py-1.5 pr-2 font-normal">
                <button
                  type="button"
                  onClick={() => onInsert(quoteIdentifier(column.name))}
                  title={`Insert ${column.name} at the cursor`}
                  className="rounded-sm text-left font-mono text-[0.8rem] font-medium [overflow-wrap:anywhere] text-foreground outline-none hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50"
                >
                  {column.name}
                </button>
                {column.description && <span className="mt-0.5 block [overflow-wrap:anywhere] text-muted-foreground">{column.description}</span>}
                {samples === null ? (
                  <Skeleton className="mt-1 h-3 w-24" />
                ) : (
                  samples.length > 0 && (
                    <span className="mt-0.5 block truncate text-muted-foreground" title={samples.map(cellText).join(', ')}>
                      <span className="sr-only">Examples: </span>
                      <span aria-hidden>e.g. </span>
                      {samples.slice(0, 3).map(cellText).join(', ')}
                    </span>
                  )
                )}
              </th>
              <td className="py-1.5 text-right font-mono text-[0.7rem] break-words text-muted-foreground">{column.type}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
