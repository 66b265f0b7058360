import type { CatalogEntry, ConnectorSummary } from '@shared/connectors';
import { describe, expect, it } from 'vitest';
import validator from '@rjsf/validator-ajv8';
import shipped from '../../../server/features/connectors/catalog.json';
import { formSchema, formUiSchema, humanErrors, requestBody, toErrorSchema } from './form-model';

const wordpress: CatalogEntry = {
  key: 'wordpress',
  name: 'WordPress',
  description: '',
  category: 'Web',
  icon: 'wordpress',
  auth_type: 'basic',
  capabilities: { publish: true },
  spec_version: 1,
  deprecated: false,
  deprecation_reason: null,
  config_schema: { type: 'object', required: ['base_url'], properties: { base_url: { type: 'string', format: 'uri' }, default_category: { type: 'string' } } },
  auth_schema: {
    type: 'object',
    required: ['username', 'application_password'],
    properties: { username: { type: 'string' }, application_password: { type: 'string', 'x-secret': true, writeOnly: true } },
  },
};

const stored: ConnectorSummary = {
  id: 'c1',
  name: 'Blog',
  catalog_key: 'wordpress',
  status: 'inactive',
  config: { base_url: 'https://a.example', default_category: 'News' },
  auth: { username: 'editor' },
  auth_configured: true,
  secrets: { application_password: { set: true, updated_at: '2026-01-01T00:00:00Z' } },
  tags: [],
  last_error: null,
  created_by: null,
  created_at: '',
  updated_by: null,
  updated_at: '',
};

describe('connector form model', () => {
  it('makes credentials optional in the form but keeps config rules', () => {
    const schema = formSchema(wordpress) as { properties: { auth: { required: string[] }; config: { required: string[] } } };
    expect(schema.properties.auth.required).toEqual([]);
    expect(schema.properties.config.required).toEqual(['base_url']);
  });

  it('keeps an untouched secret, sends a replaced one, and clears on request', () => {
    const data = { name: ' Blog ', config: { base_url: 'https://a.example' }, auth: { username: 'editor' } };
    expect(requestBody(wordpress, data, {}, stored)).toEqual({ name: 'Blog', tags: [], config: { base_url: 'https://a.example', default_category: null }, auth: { username: 'editor' } });
    expect(requestBody(wordpress, { ...data, auth: { username: 'editor', application_password: 'new-pass-1' } }, { application_password: 'replace' }, stored).auth).toEqual({
      username: 'editor',
      application_password: 'new-pass-1',
    });
    expect(requestBody(wordpress, data, { application_password: 'clear' }, stored).auth).toEqual({ username: 'editor', application_password: null });
  });

  it('puts server errors under their fields, a list item\'s under its list', () => {
    expect(toErrorSchema({ 'config.base_url': ['Enter a web address'], name: ['taken'], 'tags.1': ['bad'] })).toEqual({
      config: { base_url: { __errors: ['Enter a web address'] } },
      name: { __errors: ['taken'] },
      tags: { __errors: ['bad'] },
    });
  });

  const catalogEntry = (key: string): CatalogEntry => ({ ...(shipped as unknown as CatalogEntry[]).find((e) => e.key === key)!, deprecated: false, deprecation_reason: null });

  it('shows one human message per field instead of JSON Schema rules', () => {
    const entry = catalogEntry('wordpress');
    const schema = formSchema(entry);
    const { errorSchema } = validator.validateFormData(
      { name: '', tags: ['x'.repeat(41)], config: { base_url: 'ftp:x' }, auth: { application_password: 'short' } },
      schema,
      undefined,
      humanErrors(schema),
    );
    expect(errorSchema).toEqual({
      name: { __errors: ['Required'] },
      tags: { __errors: ['Use at most 40 characters'] },
      config: { base_url: { __errors: ["Enter the site's address, starting with https://"] } },
      auth: { application_password: { __errors: ['Use at least 8 characters'] } },
    });
  });

  it('edits lists of strings as chips', () => {
    const ui = formUiSchema(catalogEntry('twitter'), false);
    expect(ui.tags).toEqual({ 'ui:widget': 'chips', 'ui:options': { itemLabel: 'tag' } });
    expect(ui.config).toEqual({ default_hashtags: { 'ui:widget': 'chips', 'ui:options': { itemLabel: 'hashtag' } } });
  });
});

describe('OAuth-filled credentials', () => {
  const twitter = (shipped as unknown as CatalogEntry[]).find((entry) => entry.key === 'twitter')!;
  const authFields = (entry: CatalogEntry) => Object.keys((formSchema(entry).properties!.auth as { properties: Record<string, unknown> }).properties);

  it("leaves out the fields Connect fills when Scout's app is configured, and keeps them to paste when it isn't", () => {
    expect(authFields({ ...twitter, oauth: { provider: 'x', name: 'X', configured: true } })).toEqual(['client_id', 'client_secret']);
    expect(authFields({ ...twitter, oauth: { provider: 'x', name: 'X', configured: false } })).toEqual(['access_token', 'refresh_token', 'client_id', 'client_secret']);
    expect(Object.keys(formUiSchema({ ...twitter, oauth: { provider: 'x', name: 'X', configured: true } }, false).auth as object)).toEqual(['client_secret']);
  });

  it('keeps the tokens Connect stored when the form is saved', () => {
    const entry: CatalogEntry = { ...twitter, oauth: { provider: 'x', name: 'X', configured: true } };
    const connected: ConnectorSummary = { ...stored, catalog_key: 'twitter', config: {}, auth: {}, secrets: { access_token: { set: true, updated_at: '' }, refresh_token: { set: true, updated_at: '' } } };
    const body = requestBody(entry, { name: 'X', config: {}, auth: {} }, {}, connected);
    expect(body.auth).toEqual({});
  });
});
