import type { LucideIcon } from 'lucide-react';
import { NavLink } from 'react-router';
import { cn } from '@/lib/cn';

export interface SidebarLinkProps {
  to: string;
  label: string;
  icon: LucideIcon;
  onNavigate?: () => void;
}

/** A navigation link that marks itself as the current page (aria-current) when it is. */
export function SidebarLink({ to, label, icon: Icon, onNavigate }: SidebarLinkProps) {
  return (
    <NavLink
      to={to}
      onClick={onNavigate}
      className={({ isActive }) =>
        cn(
          'flex items-center gap-3 rounded-md px-2 py-1.5 text-sm font-medium text-sidebar-foreground/75 outline-none transition-colors',
          'hover:bg-sidebar-accent hover:text-sidebar-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50',
          isActive && 'bg-sidebar-accent text-sidebar-accent-foreground',
        )
      }
    >
      {({ isActive }) => (
        <>
          <Icon className={cn('size-4 shrink-0', isActive ? 'text-foreground' : 'text-muted-foreground')} aria-hidden />
          {label}
        </>
      )}
    </NavLink>
  );
}
