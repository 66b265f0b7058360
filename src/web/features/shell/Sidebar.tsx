import { Link } from 'react-router';
import { ScoutWordmark } from '@/components/scout-wordmark';
import { DomainSection } from './DomainSection';
import { SidebarNav } from './SidebarNav';
import { UserMenu } from './UserMenu';

interface SidebarProps {
  /** Called when a link is followed, so the drawer on narrow screens can close. */
  onNavigate?: () => void;
}

export function Sidebar({ onNavigate }: SidebarProps) {
  return (
    <div className="flex h-full flex-col bg-sidebar text-sidebar-foreground">
      <div className="flex h-14 shrink-0 items-center px-4">
        <Link
          to="/chat"
          onClick={onNavigate}
          className="rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          <ScoutWordmark />
        </Link>
      </div>
      <div className="grid flex-1 content-start gap-6 overflow-y-auto px-3 py-3">
        <DomainSection onNavigate={onNavigate} />
        <SidebarNav onNavigate={onNavigate} />
      </div>
      <div className="shrink-0 border-t border-sidebar-border p-2">
        <UserMenu />
      </div>
    </div>
  );
}
