import { signUpSchema } from '@shared/accounts';
import { describe, expect, it } from 'vitest';
import { fieldErrorsFromIssues } from './field-errors';

describe('fieldErrorsFromIssues', () => {
  it('groups the shared schema messages by field, the way the server sends them', () => {
    const result = signUpSchema.safeParse({ name: '', email: 'nope', password: 'short' });
    if (result.success) throw new Error('expected the sign-up input to be invalid');

    const fields = fieldErrorsFromIssues(result.error.issues);
    expect(fields.name).toEqual(['Enter your name']);
    expect(fields.email).toEqual(['Enter a valid email address, like name@example.org']);
    expect(fields.password).toContain('Password must be at least 10 characters');
  });

  it('joins nested paths with dots', () => {
    expect(fieldErrorsFromIssues([{ path: ['items', 0, 'name'], message: 'Required' }])).toEqual({
      'items.0.name': ['Required'],
    });
  });
});
