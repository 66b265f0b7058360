import { z } from 'zod';
import type { Role } from './tenants';

/** Limits the sign-up form shows and the server enforces: one definition for both. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
export const NAME_MAX_LENGTH = 100;

export const passwordSchema = z
  .string({ error: 'Enter a password' })
  .min(1, { error: 'Enter a password', abort: true })
  .min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `Password must be at most ${PASSWORD_MAX_LENGTH} characters`)
  .regex(/\p{L}/u, 'Password must contain at least one letter')
  .regex(/[^\p{L}]/u, 'Password must contain at least one number or symbol');

export const emailSchema = z
  .string({ error: 'Enter your email address' })
  .trim()
  .min(1, 'Enter your email address')
  .pipe(z.email('Enter a valid email address, like name@example.org'));

/** How Scout greets the user and labels their activity. */
export const nameSchema = z
  .string({ error: 'Enter your name' })
  .trim()
  .min(1, 'Enter your name')
  .max(NAME_MAX_LENGTH, `Name must be at most ${NAME_MAX_LENGTH} characters`);

export const signUpSchema = z.object({
  name: nameSchema,
  /** Sign-in identifier; unique across Scout. */
  email: emailSchema,
  /** Checked against the password rules above, stored only as a hash. */
  password: passwordSchema,
});
export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password'),
});
export type SignInInput = z.infer<typeof signInSchema>;

/** The signed-in user as the API presents it. */
export interface PublicUser {
  id: string;
  name: string;
  email: string;
  createdAt: string;
}

/** `GET /api/me`, and the body of a successful sign-up or sign-in. */
export interface SessionResponse {
  user: PublicUser;
}

// ---- Your account: profile, password, sessions, deletion ----

/** `PATCH /api/account` */
export const updateProfileSchema = z.strictObject({
  /** The name Scout shows for the user (the email is the sign-in identifier and is shown, not changed here). */
  name: nameSchema,
});
export type UpdateProfileInput = z.infer<typeof updateProfileSchema>;

/** `POST /api/account/password`: every other session is signed out when it succeeds. */
export const changePasswordSchema = z
  .strictObject({
    /** Proves the person at the keyboard knows the password, not just holds a session. */
    current_password: z.string({ error: 'Enter your current password' }).min(1, 'Enter your current password').max(PASSWORD_MAX_LENGTH, 'This is not your current password'),
    /** Checked against the same rules as at sign-up. */
    new_password: passwordSchema,
  })
  .refine((body) => body.new_password !== body.current_password, {
    path: ['new_password'],
    error: 'Choose a password different from your current one',
  });
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

/** `DELETE /api/account` */
export const deleteAccountSchema = z.strictObject({
  /** The account's email typed out, so a stray click can't delete an account. */
  confirm_email: z.string({ error: 'Type your email address to confirm' }).trim().min(1, 'Type your email address to confirm').max(320, 'This is not your email address'),
});
export type DeleteAccountInput = z.infer<typeof deleteAccountSchema>;

/** Whether `typed` confirms deleting the account of `email` (case and surrounding spaces don't matter). */
export function confirmsEmail(typed: string, email: string): boolean {
  return typed.trim().toLowerCase() === email.trim().toLowerCase();
}

/** What deleting the account would do to one of the user's domains. */
export type DomainOnDelete =
  /** Nobody else uses it: the domain, its data copy, chats and connectors are deleted with the account. */
  | 'removed'
  /** Other members keep using it; only the user's own access, credential and chats go. */
  | 'kept'
  /** The user is its only owner and others use it: the account can't be deleted until that changes. */
  | 'blocks';

export interface AccountDomain {
  membership_id: string;
  /** The user's label for the domain. */
  name: string;
  /** The CommCare project space name. */
  domain: string;
  role: Role;
  /** Other people with access to it now. */
  other_members: number;
  on_delete: DomainOnDelete;
}

/** `GET /api/account` */
export interface AccountResponse {
  user: PublicUser;
  /** False for someone who only signs in with CommCare: there is no password to change. */
  has_password: boolean;
  /** The user's domains and what deleting the account would do to each. */
  domains: AccountDomain[];
}

/** `POST /api/account/password` */
export interface PasswordChangedResponse {
  status: 'ok';
  /** How many other sessions were signed out. */
  signed_out_sessions: number;
}

/** One signed-in browser or device, as `GET /api/account/sessions` lists it: never its token. */
export interface AccountSession {
  id: string;
  created_at: string;
  /** When Scout last renewed the session: it does so at most once a day of use, so this is accurate to a day. */
  last_active_at: string;
  expires_at: string;
  user_agent: string | null;
  ip_address: string | null;
  /** The session making this request. */
  current: boolean;
}

/** `DELETE /api/account/sessions` */
export interface OtherSessionsSignedOutResponse {
  signed_out_sessions: number;
}

/** `DELETE /api/account` */
export interface AccountDeletedResponse {
  status: 'deleted';
  /** Domains nobody else used, deleted with the account (CommCare project space names). */
  removed_domains: string[];
}
