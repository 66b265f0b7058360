import type { PublicUser } from '@shared/accounts';
import { initialsOf } from './initials';

export function UserAvatar({ user }: { user: Pick<PublicUser, 'name' | 'email'> }) {
  return (
    <span
      className="flex size-8 shrink-0 items-center justify-center rounded-full bg-primary text-xs font-semibold text-primary-foreground"
      aria-hidden
    >
      {initialsOf(user)}
    </span>
  );
}
