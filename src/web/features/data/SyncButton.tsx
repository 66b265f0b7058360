import type { RunMode } from '@shared/warehouse';
import { ChevronDown, RefreshCw } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from '@/components/ui/dropdown-menu';

interface SyncButtonProps {
  /** A run is starting or going on: the button says so and can't be pressed. */
  busy: boolean;
  /** Offer "Full re-sync" (pointless before the first sync, which is full anyway). */
  offerFullResync: boolean;
  onSync: (mode?: RunMode) => void;
}

/** "Sync now", with "Full re-sync" in a menu beside it. */
export function SyncButton({ busy, offerFullResync, onSync }: SyncButtonProps) {
  const main = (
    <Button loading={busy} onClick={() => onSync()} className={offerFullResync ? 'rounded-r-none' : undefined}>
      {!busy && <RefreshCw aria-hidden />}
      {busy ? 'Syncing…' : 'Sync now'}
    </Button>
  );
  if (!offerFullResync) return main;

  return (
    <div role="group" aria-label="Sync" className="flex">
      {main}
      <DropdownMenu>
        <DropdownMenuTrigger asChild disabled={busy}>
          <Button aria-label="More sync options" size="icon" className="rounded-l-none border-l border-primary-foreground/20">
            <ChevronDown aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-64">
          <DropdownMenuItem onSelect={() => onSync('full')} className="flex-col items-start gap-0.5">
            <span className="font-medium">Full re-sync</span>
            <span className="text-xs text-muted-foreground">
              Copy everything from CommCare again, instead of only what changed since the last sync.
            </span>
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
    </div>
  );
}
