import { describe, expect, it } from 'vitest';
import { secretFields } from '../../../shared/connectors';
import { KeyRing } from '../../platform/crypto/keyring';
import { openSecret, registeredColumn, sealSecret } from '../../platform/crypto/encrypted-columns';
import { shippedCatalog } from './catalog';
import { SpecValidator } from './spec-validator';

const catalog = new Map(shippedCatalog().map((entry) => [entry.key, entry]));
const validator = new SpecValidator();

/** A working config and full auth for each shipped type, and one broken config. */
const SAMPLES: Record<string, { config: Record<string, unknown>; auth: Record<string, unknown>; broken: Record<string, unknown>; brokenField: string }> = {
  twitter: { config: { account_handle: '@scout_health' }, auth: { client_id: 'id', client_secret: 's', access_token: 't' }, broken: { account_handle: 'has spaces' }, brokenField: 'config.account_handle' },
  wordpress: { config: { base_url: 'https://blog.example.org' }, auth: { username: 'u', application_password: 'abcd efgh ijkl' }, broken: { base_url: 'ftp://x' }, brokenField: 'config.base_url' },
  linkedin: { config: { author_urn: 'urn:li:organization:123' }, auth: { client_id: 'id', client_secret: 's', access_token: 't' }, broken: { author_urn: 'someone' }, brokenField: 'config.author_urn' },
  medium: { config: { publish_status: 'draft' }, auth: { integration_token: '1234567890abc' }, broken: { publish_status: 'loud' }, brokenField: 'config.publish_status' },
};

describe('SpecValidator on every shipped connector type', () => {
  it('has a sample for each type', () => {
    expect([...catalog.keys()].sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  for (const [key, sample] of Object.entries(SAMPLES)) {
    it(`${key}: accepts a good config and auth, fills defaults, and names the broken field`, () => {
      const entry = catalog.get(key)!;
      const config = structuredClone(sample.config);
      expect(validator.config(entry, config)).toEqual({});
      expect(validator.authValues(entry, sample.auth)).toEqual({});
      expect(validator.missingAuth(entry, new Set(Object.keys(sample.auth)))).toEqual({});
      const defaults = Object.entries(entry.config_schema.properties).filter(([, p]) => p.default !== undefined);
      for (const [name, property] of defaults) expect(config[name] ?? property.default).toEqual(property.default);
      expect(Object.keys(validator.config(entry, structuredClone(sample.broken)))).toContain(sample.brokenField);
      expect(validator.missingAuth(entry, new Set())).toEqual(Object.fromEntries((entry.auth_schema.required ?? []).map((f) => [`auth.${f}`, [expect.any(String)]])));
      expect(secretFields(entry.auth_schema).length).toBeGreaterThan(0);
    });
  }

  it("maps a list item's message to its list and unknown fields to dotted paths, without echoing values", () => {
    const errors = validator.config(catalog.get('twitter')!, { account_handle: 'ok', default_hashtags: ['fine', 'not fine'], surprise: 'hunter2' });
    expect(errors).toEqual({ 'config.default_hashtags': ['Each hashtag is up to 50 letters, digits or _, e.g. #health'], 'config.surprise': ['is not a field of this connector'] });
    expect(JSON.stringify(errors)).not.toContain('hunter2');
    expect(validator.authValues({ ...catalog.get('medium')!, auth_type: 'none' }, { token: 'x' })).toEqual({ auth: ['Medium takes no credentials'] });
  });

  it('gives one message per field in words a person can act on', () => {
    const wordpress = catalog.get('wordpress')!;
    // "ftp:x" breaks both `pattern` and `format`; the person hears about it once.
    expect(validator.config(wordpress, { base_url: 'ftp:x', default_status: 'live', default_category: 'x'.repeat(201) })).toEqual({
      'config.base_url': ["Enter the site's address, starting with https://"],
      'config.default_status': ['Choose one of: Draft, Pending review, Published'],
      'config.default_category': ['Use at most 200 characters'],
    });
    expect(validator.authValues(wordpress, { application_password: 'short' })).toEqual({ 'auth.application_password': ['Use at least 8 characters'] });
  });
});

describe('connector secret encryption', () => {
  it('round-trips, and is bound to tenant, connector and field', () => {
    const ring = KeyRing.parse(`k1:${KeyRing.generateKey().toString('base64')}`);
    const column = registeredColumn('connector_secret', 'ciphertext');
    const bound = { tenant_id: 't1', connector_id: 'c1', field: 'application_password' };
    const sealed = sealSecret(ring, column, 'row-1', 'pass-word', bound);
    expect(openSecret(ring, column, 'row-1', sealed, bound)).toBe('pass-word');
    for (const moved of [{ ...bound, tenant_id: 't2' }, { ...bound, connector_id: 'c2' }, { ...bound, field: 'username' }]) {
      expect(() => openSecret(ring, column, 'row-1', sealed, moved)).toThrow();
    }
    expect(() => sealSecret(ring, column, 'row-1', 'x')).toThrow(/bound to tenant_id/);
  });
});
