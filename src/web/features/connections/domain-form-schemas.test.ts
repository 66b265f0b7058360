import { describe, expect, it } from 'vitest';
import { ApiError } from '@/api/client';
import { fieldErrorsFromIssues } from '@/api/field-errors';
import { addDomainFormSchema, editDomainFormSchema, withFormFieldNames } from './domain-form-schemas';

const SERVER = 'https://www.commcarehq.org';

function errorsOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return result.success ? {} : fieldErrorsFromIssues(result.error!.issues);
}

describe('the add-domain form', () => {
  it('joins the username and API key into the credential the API takes', () => {
    const parsed = addDomainFormSchema.parse({ tenant_id: ' demo-clinic ', hq_base_url: SERVER, username: 'me@example.org', api_key: 'abc123', tenant_name: '' });
    expect(parsed).toEqual({ provider: 'commcare', tenant_id: 'demo-clinic', hq_base_url: SERVER, credential: 'me@example.org:abc123' });
  });

  it('keeps a label when one is given', () => {
    const parsed = addDomainFormSchema.parse({ tenant_id: 'demo-clinic', hq_base_url: SERVER, username: 'me@example.org', api_key: 'abc123', tenant_name: 'North' });
    expect(parsed.tenant_name).toBe('North');
  });

  it('says what each empty field needs, once', () => {
    const errors = errorsOf(addDomainFormSchema.safeParse({ tenant_id: '', username: '', api_key: '', tenant_name: '' }));
    expect(errors).toEqual({
      tenant_id: ['Enter the project space (domain) name'],
      hq_base_url: ['Choose a CommCare server'],
      username: ['Enter your CommCare username'],
      api_key: ['Enter your API key'],
    });
  });

  it('puts a malformed key under the API key field', () => {
    const errors = errorsOf(addDomainFormSchema.safeParse({ tenant_id: 'x', hq_base_url: SERVER, username: 'me@example.org', api_key: 'ab cd', tenant_name: '' }));
    expect(Object.keys(errors)).toEqual(['api_key']);
  });
});

describe('the edit-domain form', () => {
  const schema = editDomainFormSchema('demo-clinic');

  it('keeps the stored key when username and key are left blank', () => {
    expect(schema.parse({ tenant_name: 'North', username: '', api_key: '' })).toEqual({ tenant_name: 'North' });
  });

  it('names the domain after itself when the label is cleared', () => {
    expect(schema.parse({ tenant_name: ' ', username: '', api_key: '' })).toEqual({ tenant_name: 'demo-clinic' });
  });

  it('sends a new credential only when both parts are filled in', () => {
    expect(schema.parse({ tenant_name: 'North', username: 'me@example.org', api_key: 'new-key' })).toEqual({
      tenant_name: 'North',
      credential: 'me@example.org:new-key',
    });
    expect(Object.keys(errorsOf(schema.safeParse({ tenant_name: 'North', username: 'me@example.org', api_key: '' })))).toEqual(['api_key']);
    expect(Object.keys(errorsOf(schema.safeParse({ tenant_name: 'North', username: '', api_key: 'new-key' })))).toEqual(['username']);
  });
});

describe('withFormFieldNames', () => {
  it("shows the server's credential errors under the API key input", () => {
    const error = new ApiError({ status: 400, code: 'COMMCARE_AUTH_FAILED', message: 'No', fields: { credential: ['Rejected'], tenant_id: ['Hm'] } });
    const renamed = withFormFieldNames(error) as ApiError;
    expect(renamed.fields).toEqual({ api_key: ['Rejected'], tenant_id: ['Hm'] });
    expect(renamed.code).toBe('COMMCARE_AUTH_FAILED');
  });

  it('leaves other errors alone', () => {
    const error = new ApiError({ status: 502, code: 'COMMCARE_UNAVAILABLE', message: 'Down' });
    expect(withFormFieldNames(error)).toBe(error);
  });
});
