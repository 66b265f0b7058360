import type { CatalogEntry } from '@shared/connectors';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { ConnectorIcon } from './ConnectorIcon';

/** "Add connector": choose the type first, then its form opens. */
export function CatalogPicker({ entries, onPick, onClose }: { entries: CatalogEntry[]; onPick: (entry: CatalogEntry) => void; onClose: () => void }) {
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>Add a connector</DialogTitle>
          <DialogDescription>Choose the service to connect this domain to.</DialogDescription>
        </DialogHeader>
        <ul className="grid gap-2" aria-label="Connector types">
          {entries.map((entry) => (
            <li key={entry.key}>
              <button
                type="button"
                onClick={() => onPick(entry)}
                className="flex w-full items-center gap-3 rounded-lg border px-3 py-2.5 text-left hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
              >
                <ConnectorIcon icon={entry.icon} name={entry.name} className="size-8 text-sm" />
                <span className="min-w-0 flex-1">
                  <span className="block font-medium">{entry.name}</span>
                  <span className="block truncate text-sm text-muted-foreground">{entry.description}</span>
                </span>
                {entry.deprecated && <span className="text-xs text-amber-700 dark:text-amber-400">Deprecated</span>}
              </button>
            </li>
          ))}
        </ul>
      </DialogContent>
    </Dialog>
  );
}
