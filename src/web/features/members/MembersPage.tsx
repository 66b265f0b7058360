import type { MemberSummary, MembersResponse } from '@shared/members';
import type { Role, TenantSummary } from '@shared/tenants';
import { Users } from 'lucide-react';
import { useCallback, useState } from 'react';
import { toast } from 'sonner';
import { membersApi } from '@/api/members';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { PageHeader } from '@/components/page-header';
import { PageSection } from '@/components/page-section';
import { SkeletonList } from '@/components/skeleton-list';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { asApiError } from '@/api/client';
import { formatDate } from '@/features/connections/format';
import { DomainRequired } from '@/features/shell/DomainRequired';
import { useResource, type Resource } from '@/lib/use-resource';
import { useActiveDomain } from '@/store/active-domain';
import { useAppStore } from '@/store/app-store';
import { describeChange, ROLE_WORDS } from './roles';

/** Settings → Members: who uses the active domain in Scout, their roles, and the changes to them. */
export function MembersPage() {
  const active = useActiveDomain();
  return (
    <>
      <PageHeader title="Members" description="The people who use this domain in Scout, and what each of them may do." />
      {active ? (
        <MembersWorkspace key={active.id} domain={active} />
      ) : (
        <DomainRequired
          empty={{ icon: Users, title: 'Connect a CommCare domain to see its members', description: 'Everyone who connects the same domain shares its data in Scout.' }}
          select={{ title: 'Select a domain to see its members', purpose: 'Members belong to one CommCare project.' }}
        />
      )}
    </>
  );
}

type Pending = { kind: 'owner' | 'remove'; member: MemberSummary } | null;

function MembersWorkspace({ domain }: { domain: TenantSummary }) {
  const members = useResource(useCallback((signal: AbortSignal) => membersApi.list(domain.id, { signal }), [domain.id]));
  const fetchDomains = useAppStore((state) => state.fetchDomains);
  const [pending, setPending] = useState<Pending>(null);

  const afterChange = useCallback(async () => {
    // The caller's own role (and so what the rest of Scout shows them) may have changed too.
    await Promise.all([members.reload(), fetchDomains()]);
  }, [members, fetchDomains]);

  async function setRole(member: MemberSummary, role: Role) {
    try {
      await membersApi.setRole(domain.id, member.id, role);
      toast.success(`${member.name} is now ${role === 'admin' ? 'an admin' : 'an analyst'}`);
      await afterChange();
    } catch (error) {
      toast.error(asApiError(error).message);
    }
  }

  async function confirmPending() {
    if (!pending) return;
    const { kind, member } = pending;
    if (kind === 'owner') {
      await membersApi.setRole(domain.id, member.id, 'owner');
      toast.success(`${member.name} now owns ${domain.tenant_name}; you are an admin`);
    } else {
      await membersApi.remove(domain.id, member.id);
      toast.success(member.you ? `You left ${domain.tenant_name}` : `Removed ${member.name}`);
    }
    if (kind === 'remove' && member.you) await fetchDomains();
    else await afterChange();
  }

  return (
    <div className="grid gap-10">
      <PageSection title={`Members of ${domain.tenant_name}`}>
        <MemberList members={members} onRole={setRole} onPending={setPending} />
      </PageSection>

      <PageSection title="Roles" description="Anyone with access to this project in CommCare can connect it to Scout; they join as an analyst.">
        <dl className="grid gap-3 text-sm sm:grid-cols-3">
          {(Object.keys(ROLE_WORDS) as Role[]).map((role) => (
            <div key={role} className="grid gap-1 rounded-lg border p-3">
              <dt className="font-medium">{ROLE_WORDS[role].label}</dt>
              <dd className="text-muted-foreground">{ROLE_WORDS[role].description}</dd>
            </div>
          ))}
        </dl>
      </PageSection>

      {members.status === 'ready' && members.data.changes && (
        <PageSection title="Recent changes">
          {members.data.changes.length === 0 ? (
            <p className="text-sm text-muted-foreground">No one has changed a role or removed a member yet.</p>
          ) : (
            <ul className="grid gap-1 text-sm" aria-label="Recent changes">
              {members.data.changes.map((change, index) => (
                <li key={`${change.at}-${index}`} className="flex flex-wrap gap-x-2">
                  <time dateTime={change.at} className="text-muted-foreground">
                    {formatDate(change.at, true)}
                  </time>
                  <span>{describeChange(change)}</span>
                </li>
              ))}
            </ul>
          )}
        </PageSection>
      )}

      <ConfirmDialog
        open={pending !== null}
        onOpenChange={(open) => !open && setPending(null)}
        title={confirmTitle(pending, domain)}
        description={confirmText(pending)}
        confirmLabel={pending?.kind === 'owner' ? 'Make owner' : pending?.member.you ? 'Leave domain' : 'Remove member'}
        destructive={pending?.kind === 'remove'}
        onConfirm={confirmPending}
      />
    </div>
  );
}

function confirmTitle(pending: Pending, domain: TenantSummary): string {
  if (!pending) return '';
  if (pending.kind === 'owner') return `Make ${pending.member.name} the owner?`;
  return pending.member.you ? `Leave ${domain.tenant_name}?` : `Remove ${pending.member.name}?`;
}

function confirmText(pending: Pending): string {
  if (!pending) return '';
  if (pending.kind === 'owner') return `A domain has one owner. ${pending.member.name} becomes it, and you become an admin; only the new owner can hand it on again.`;
  const who = pending.member.you ? 'Your' : 'Their';
  return `${who} access to this domain ends at once: its data, the chat about it, and MCP clients using ${pending.member.you ? 'your' : 'their'} tokens for it stop working. Conversations are kept, and come back if the domain is connected again with a CommCare account that can see it.`;
}

function MemberList({ members, onRole, onPending }: { members: Resource<MembersResponse>; onRole: (member: MemberSummary, role: Role) => Promise<void>; onPending: (pending: Pending) => void }) {
  if (members.status === 'loading') {
    return (
      <SkeletonList label="Loading the members" count={3} itemClassName="h-16" />
    );
  }
  if (members.status === 'error') return <LoadErrorAlert title="Couldn't load the members" error={members.error} onRetry={() => void members.reload()} />;
  return (
    <ul className="grid gap-2" aria-label="Members">
      {members.data.members.map((member) => (
        <li key={member.id}>
          <Card className="flex-row flex-wrap items-center justify-between gap-3 px-4 py-3">
            <div className="grid min-w-0 gap-0.5">
              <span className="flex flex-wrap items-center gap-2 font-medium">
                {member.name}
                {member.you && <Badge variant="secondary">You</Badge>}
              </span>
              <span className="truncate text-sm text-muted-foreground">{member.email}</span>
              <span className="text-xs text-muted-foreground">
                Joined {formatDate(member.joined_at)} · {member.last_active_at ? `last active ${formatDate(member.last_active_at)}` : 'not active yet'}
              </span>
            </div>
            <div className="flex flex-wrap items-center gap-2">
              {member.can.change_role ? (
                <Select value={member.role} onValueChange={(role) => void onRole(member, role as Role)}>
                  <SelectTrigger className="w-32" aria-label={`Role of ${member.name}`}>
                    <SelectValue />
                  </SelectTrigger>
                  <SelectContent>
                    <SelectItem value="admin">Admin</SelectItem>
                    <SelectItem value="analyst">Analyst</SelectItem>
                  </SelectContent>
                </Select>
              ) : (
                <Badge variant={member.role === 'owner' ? 'default' : 'outline'}>{ROLE_WORDS[member.role].label}</Badge>
              )}
              {member.can.make_owner && (
                <Button variant="outline" size="sm" onClick={() => onPending({ kind: 'owner', member })}>
                  Make owner
                </Button>
              )}
              {member.can.remove && (
                <Button variant="outline" size="sm" onClick={() => onPending({ kind: 'remove', member })} aria-label={member.you ? 'Leave this domain' : `Remove ${member.name}`}>
                  {member.you ? 'Leave' : 'Remove'}
                </Button>
              )}
            </div>
          </Card>
        </li>
      ))}
    </ul>
  );
}
