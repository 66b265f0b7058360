import { Bookmark, Bot, Database, LayoutDashboard, Link2, Megaphone, MessageSquare, Plug, Users } from 'lucide-react';
import { useId } from 'react';
import { SidebarLink, type SidebarLinkProps } from './SidebarLink';

type Destination = Omit<SidebarLinkProps, 'onNavigate'>;

const WORKSPACE: Destination[] = [
  { to: '/chat', label: 'Chat', icon: MessageSquare },
  { to: '/data', label: 'Data', icon: Database },
  { to: '/questions', label: 'Questions', icon: Bookmark },
  { to: '/dashboards', label: 'Dashboards', icon: LayoutDashboard },
  { to: '/publications', label: 'Publications', icon: Megaphone },
  { to: '/connectors', label: 'Connectors', icon: Plug },
];

const SETTINGS: Destination[] = [
  { to: '/settings/connections', label: 'Connections', icon: Link2 },
  { to: '/settings/members', label: 'Members', icon: Users },
  { to: '/settings/mcp', label: 'MCP access', icon: Bot },
];

export function SidebarNav({ onNavigate }: { onNavigate?: () => void }) {
  const settingsId = useId();
  return (
    <nav aria-label="Main" className="grid gap-6">
      <ul className="grid gap-0.5">
        {WORKSPACE.map((destination) => (
          <li key={destination.to}>
            <SidebarLink {...destination} onNavigate={onNavigate} />
          </li>
        ))}
      </ul>
      <div role="group" aria-labelledby={settingsId}>
        <h2 id={settingsId} className="px-2 text-xs font-medium text-muted-foreground">
          Settings
        </h2>
        <ul className="mt-2 grid gap-0.5">
          {SETTINGS.map((destination) => (
            <li key={destination.to}>
              <SidebarLink {...destination} onNavigate={onNavigate} />
            </li>
          ))}
        </ul>
      </div>
    </nav>
  );
}
