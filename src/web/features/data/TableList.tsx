import type { WarehouseTable } from '@shared/warehouse';
import { ChevronRight } from 'lucide-react';
import { Collapsible } from 'radix-ui';
import { useId } from 'react';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { formatRows } from './format';

/** The domain's tables and views, each opening onto its columns from the data dictionary. */
export function TableList({ tables }: { tables: WarehouseTable[] }) {
  return (
    <Card className="min-w-0 gap-0 py-0">
      <ul className="divide-y" aria-label="Tables and views">
        {tables.map((table) => (
          <li key={table.name}>
            <TableItem table={table} />
          </li>
        ))}
      </ul>
    </Card>
  );
}

function TableItem({ table }: { table: WarehouseTable }) {
  const descriptionId = useId();
  return (
    <Collapsible.Root className="group/table">
      <h3>
        <Collapsible.Trigger
          aria-describedby={table.description ? descriptionId : undefined}
          className="flex w-full items-start gap-3 px-4 py-3.5 text-left outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:ring-inset sm:px-5"
        >
          <ChevronRight
            aria-hidden
            className="mt-0.5 size-4 shrink-0 text-muted-foreground transition-transform group-data-[state=open]/table:rotate-90"
          />
          {/* The spaces between the parts keep the button's accessible name readable: "cases Table 1,000 rows". */}
          <span className="flex min-w-0 flex-1 flex-wrap items-center gap-x-2 gap-y-1">
            <span className="font-mono text-sm font-medium break-all">{table.name}</span>{' '}
            <Badge variant={table.kind === 'table' ? 'secondary' : 'outline'}>{table.kind === 'table' ? 'Table' : 'View'}</Badge>
          </span>{' '}
          <span className="shrink-0 text-sm text-muted-foreground tabular-nums">{formatRows(table.row_count)}</span>
        </Collapsible.Trigger>
      </h3>
      {/* Two lines while closed keep a long list scannable; opened, the whole description shows. */}
      {table.description && (
        <div className="-mt-2 pr-4 pb-3.5 pl-11 sm:pr-5 sm:pl-12">
          <p id={descriptionId} className="line-clamp-2 text-sm break-words text-muted-foreground group-data-[state=open]/table:line-clamp-none">
            {table.description}
          </p>
        </div>
      )}
      <Collapsible.Content className="border-t bg-muted/30 px-4 py-3 sm:px-5">
        <ColumnTable table={table} />
      </Collapsible.Content>
    </Collapsible.Root>
  );
}

function ColumnTable({ table }: { table: WarehouseTable }) {
  if (table.columns.length === 0) {
    return <p className="text-sm text-muted-foreground">The data dictionary has no columns for this {table.kind}.</p>;
  }
  // A form's flattened question paths can be long: past the width, the table scrolls rather than the page.
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Columns of {table.name}</caption>
        <thead className="text-xs text-muted-foreground">
          <tr>
            <th scope="col" className="py-1.5 pr-4 font-medium">
              Column
            </th>
            <th scope="col" className="py-1.5 pr-4 font-medium">
              Type
            </th>
            <th scope="col" className="hidden py-1.5 font-medium sm:table-cell">
              Description
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-border/60">
          {table.columns.map((column) => (
            <tr key={column.name} className="align-top">
              <th scope="row" className="py-1.5 pr-4 font-normal">
                {/* Narrow screens may break a long name anywhere; wide ones keep names whole and give them the room. */}
                <span className="font-mono [overflow-wrap:anywhere] sm:[overflow-wrap:break-word]">{column.name}</span>
                {column.description && (
                  <span className="mt-0.5 block text-xs [overflow-wrap:anywhere] text-muted-foreground sm:hidden">{column.description}</span>
                )}
              </th>
              <td className="py-1.5 pr-4 font-mono text-xs text-muted-foreground sm:whitespace-nowrap">{column.type}</td>
              <td className="hidden py-1.5 text-muted-foreground sm:table-cell">{column.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
