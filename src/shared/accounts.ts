import { z } from 'zod';

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

export const signUpSchema = z.object({
  /** How Scout greets the user and labels their activity. */
  name: z
    .string({ error: 'Enter your name' })
    .trim()
    .min(1, 'Enter your name')
    .max(NAME_MAX_LENGTH, `Name must be at most ${NAME_MAX_LENGTH} characters`),
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
