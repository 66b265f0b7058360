import type { ChatThreadSummary } from '@shared/chat';
import { MAX_THREAD_TITLE_CHARS } from '@shared/chat';
import { MessageSquarePlus, MoreHorizontal, Pencil, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { asApiError } from '@/api/client';
import { chatApi } from '@/api/chat';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { SkeletonList } from '@/components/skeleton-list';
import { Button } from '@/components/ui/button';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from '@/components/ui/dropdown-menu';
import { cn } from '@/lib/cn';
import type { Resource } from '@/lib/use-resource';

interface ThreadListProps {
  membershipId: string;
  threads: Resource<ChatThreadSummary[]>;
  activeId: string;
  onNew: () => void;
  /** The active thread was deleted. */
  onDeletedActive: () => void;
}

/** The user's conversations about this domain, newest first: open, rename, delete, or start a new one. */
export function ThreadList({ membershipId, threads, activeId, onNew, onDeletedActive }: ThreadListProps) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<ChatThreadSummary | null>(null);

  async function rename(thread: ChatThreadSummary, title: string) {
    setRenaming(null);
    if (!title.trim() || title.trim() === thread.title) return;
    try {
      await chatApi.rename(membershipId, thread.id, title);
      await threads.reload();
    } catch (error) {
      toast.error(`Couldn't rename the conversation: ${asApiError(error).message}`);
    }
  }

  return (
    <nav aria-label="Conversations" className="grid min-w-0 content-start gap-2">
      <Button variant="outline" className="justify-start" onClick={onNew}>
        <MessageSquarePlus aria-hidden />
        New chat
      </Button>
      {threads.status === 'loading' && (
        <SkeletonList label="Loading conversations" count={3} itemClassName="h-8" className="grid gap-1.5" />
      )}
      {threads.status === 'error' && <LoadErrorAlert title="Couldn't load your conversations" error={threads.error} onRetry={() => void threads.reload()} />}
      {threads.status === 'ready' && threads.data.length === 0 && <p className="px-2 py-1 text-sm text-muted-foreground">No conversations yet.</p>}
      {threads.status === 'ready' && threads.data.length > 0 && (
        <ul className="grid min-w-0 gap-0.5">
          {threads.data.map((thread) => (
            <li key={thread.id} className={cn('group flex min-w-0 items-center gap-1 rounded-md', thread.id === activeId ? 'bg-accent' : 'hover:bg-accent/60')}>
              {renaming === thread.id ? (
                <form
                  className="flex-1 p-0.5"
                  onSubmit={(event) => {
                    event.preventDefault();
                    void rename(thread, new FormData(event.currentTarget).get('title') as string);
                  }}
                >
                  <input
                    name="title"
                    defaultValue={thread.title}
                    maxLength={MAX_THREAD_TITLE_CHARS}
                    aria-label="Conversation title"
                    autoFocus
                    onBlur={(event) => void rename(thread, event.currentTarget.value)}
                    onKeyDown={(event) => event.key === 'Escape' && setRenaming(null)}
                    className="w-full rounded border bg-background px-2 py-1 text-sm outline-none focus-visible:ring-2 focus-visible:ring-ring/50"
                  />
                </form>
              ) : (
                <Link
                  to={`/chat/${thread.id}`}
                  aria-current={thread.id === activeId ? 'page' : undefined}
                  className="min-w-0 flex-1 truncate px-2 py-1.5 text-sm"
                  title={thread.title}
                >
                  {thread.title}
                </Link>
              )}
              <DropdownMenu>
                <DropdownMenuTrigger asChild>
                  <Button variant="ghost" size="icon" className="size-7 shrink-0 opacity-60 group-hover:opacity-100" aria-label={`Actions for “${thread.title}”`}>
                    <MoreHorizontal aria-hidden />
                  </Button>
                </DropdownMenuTrigger>
                <DropdownMenuContent align="end">
                  <DropdownMenuItem onSelect={() => setRenaming(thread.id)}>
                    <Pencil aria-hidden />
                    Rename
                  </DropdownMenuItem>
                  <DropdownMenuItem variant="destructive" onSelect={() => setDeleting(thread)}>
                    <Trash2 aria-hidden />
                    Delete
                  </DropdownMenuItem>
                </DropdownMenuContent>
              </DropdownMenu>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title="Delete this conversation?"
        description={`“${deleting?.title ?? ''}” and its answers will be gone for good.`}
        confirmLabel="Delete"
        destructive
        onConfirm={async () => {
          if (!deleting) return;
          await chatApi.remove(membershipId, deleting.id);
          if (deleting.id === activeId) onDeletedActive();
          await threads.reload();
          toast.success('Conversation deleted');
        }}
      />
    </nav>
  );
}
