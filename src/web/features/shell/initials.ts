import type { PublicUser } from '@shared/accounts';

/** One or two letters standing for the user: first and last name, else the start of the email address. */
export function initialsOf(user: Pick<PublicUser, 'name' | 'email'>): string {
  const words = user.name.trim().split(/\s+/).filter((word) => /\p{L}|\p{N}/u.test(word));
  const first = words[0];
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  const letters = first ? [firstLetter(first), last ? firstLetter(last) : ''] : [firstLetter(user.email)];
  return letters.join('').toLocaleUpperCase() || '?';
}

function firstLetter(text: string): string {
  return Array.from(text).find((character) => /\p{L}|\p{N}/u.test(character)) ?? '';
}
