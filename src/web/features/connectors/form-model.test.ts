import type { CatalogEntry, ConnectorSummary } from '@shared/connectors';
import { describe, expect, it } from 'vitest';
import { formSchema, requestBody, toErrorSchema } from './form-model';

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

  it('puts server errors under their fields', () => {
    expect(toErrorSchema({ 'config.base_url': ['must match format "uri"'], name: ['taken'], 'config.tags.1': ['bad'] })).toEqual({
      config: { base_url: { __errors: ['must match format "uri"'] }, tags: { 1: { __errors: ['bad'] } } },
      name: { __errors: ['taken'] },
    });
  });
});
