import { Database, KeyRound, MessagesSquare, History } from 'lucide-react';
import type { LucideIcon } from 'lucide-react';

/**
 * What removing a domain does, as the server does it (DELETE
 * /api/auth/tenant-credentials/<id> ends the membership): the row and its
 * credential go, with the member's stars and exports (query history is read
 * from the audit log by membership, so it goes too, though the log keeps the calls); the tenant, its warehouse
 * and the member's chat threads are the tenant's, so they stay; MCP tokens
 * are the user's, so they stay but no longer reach this domain.
 */
export function RemovalConsequences() {
  return (
    <ul className="grid gap-3 text-sm" aria-label="What happens when you remove it">
      <Consequence icon={Database} title="Synced data">
        Stays in Scout, and the domain's other members keep using it. Once nobody has used it for a while (7 days unless your Scout is set
        up otherwise), Scout deletes it; connecting again syncs it afresh.
      </Consequence>
      <Consequence icon={MessagesSquare} title="Your conversations">
        Kept, but hidden while the domain is disconnected. They come back if you connect it again.
      </Consequence>
      <Consequence icon={History} title="Your query history">
        Your history and starred queries here are cleared; the domain's audit log keeps its record of what was run.
      </Consequence>
      <Consequence icon={KeyRound} title="MCP tokens">
        Keep working for your other domains. They can no longer read this one, and its MCP address changes if you connect
        it again.
      </Consequence>
    </ul>
  );
}

function Consequence({ icon: Icon, title, children }: { icon: LucideIcon; title: string; children: string }) {
  return (
    <li className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
      <Icon aria-hidden className="row-span-2 mt-0.5 size-4 text-muted-foreground" />
      <span className="font-medium">{title}</span>
      <span className="text-muted-foreground">{children}</span>
    </li>
  );
}
