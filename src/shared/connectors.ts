import { z } from 'zod';

export const CONNECTOR_STATUSES = ['inactive', 'active', 'error'] as const;
export type ConnectorStatus = (typeof CONNECTOR_STATUSES)[number];
export type AuthType = 'oauth' | 'api_key' | 'basic' | 'none';

/** The JSON Schema subset connector specs use (flat objects of simple fields). */
export interface JsonSchemaProperty {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  title?: string;
  description?: string;
  format?: string;
  pattern?: string;
  enum?: Array<string | number>;
  /** A choice among constants, each with the label people see (`{ const: 'draft', title: 'Draft' }`). */
  oneOf?: Array<{ const: string | number; title?: string }>;
  const?: string | number;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchemaProperty;
  maxItems?: number;
  writeOnly?: boolean;
  'x-secret'?: boolean;
  /**
   * What to tell a person whose value has the wrong shape (pattern, format),
   * e.g. "Enter the site's address, starting with https://": JSON Schema's own
   * messages name the rule, not what to type.
   */
  'x-error-message'?: string;
  /** Set by the OAuth Connect flow: when the entry's `oauth.configured`, the form shows Connect instead of this field. */
  'x-oauth'?: boolean;
}

export interface ObjectSchema {
  type: 'object';
  properties: Record<string, JsonSchemaProperty>;
  required?: string[];
  additionalProperties?: boolean;
}

/** `GET /api/connectors/catalog`: a connector type, with its schemas. */
export interface CatalogEntry {
  key: string;
  name: string;
  description: string;
  category: string;
  icon: string;
  auth_type: AuthType;
  capabilities: Record<string, unknown>;
  config_schema: ObjectSchema;
  auth_schema: ObjectSchema;
  spec_version: number;
  deprecated: boolean;
  deprecation_reason: string | null;
  /**
   * Types connected with OAuth (X, LinkedIn): `configured` when Scout has its
   * app at the provider, so Connect (`GET /api/tenants/<membership id>/connectors/<id>/oauth/start`,
   * a plain link) replaces pasting tokens. Absent for other types.
   */
  oauth?: { provider: 'x' | 'linkedin'; name: string; configured: boolean };
}

/** A secret auth field: is it set, and since when. Never its value. */
export interface SecretState {
  set: boolean;
  updated_at: string | null;
}

/** An installed connector as every response shows it: no secret values, not even masked. */
export interface ConnectorSummary {
  id: string;
  name: string;
  catalog_key: string;
  status: ConnectorStatus;
  config: Record<string, unknown>;
  /** Non-secret auth fields (e.g. a username). */
  auth: Record<string, unknown>;
  /** Every required auth field (secret or not) is set: the connector can be activated. */
  auth_configured: boolean;
  secrets: Record<string, SecretState>;
  tags: string[];
  last_error: string | null;
  /** The last connection test, null before the first (absent from responses of Scouts before connection tests). */
  last_check?: ConnectionCheck | null;
  /** OAuth types: whether a token is stored, when it expires, and the warning to show (expires within 7 days, or expired). */
  oauth?: ConnectorOAuthState | null;
  created_by: string | null;
  created_at: string;
  updated_by: string | null;
  updated_at: string;
}

export interface ConnectorOAuthState {
  connected: boolean;
  expires_at: string | null;
  /** The token renews itself (X's refresh token): expiry is no concern. */
  renews: boolean;
  warning: string | null;
}

/**
 * `POST /api/tenants/<membership id>/connectors/<id>/test`: the real API call
 * that proves the credentials and the target (WordPress: the signed-in user
 * and what they may do), in one plain sentence.
 */
export interface ConnectionCheck {
  ok: boolean;
  checked_at: string;
  /** Who the credentials sign in as; null when the test failed. */
  account: { name: string; url?: string } | null;
  message: string;
}

export interface PublishTarget {
  id: string;
  name: string;
  catalog_key: string;
  capabilities: Record<string, unknown>;
}

/** `POST /api/connectors/validate-config`. */
export interface ValidateConfigResult {
  valid: boolean;
  errors: Record<string, string[]>;
}

/** The secret fields of an auth schema (marked `x-secret` or `writeOnly`). */
export function secretFields(schema: ObjectSchema): string[] {
  return Object.entries(schema.properties)
    .filter(([, property]) => property['x-secret'] === true || property.writeOnly === true)
    .map(([name]) => name);
}

const name = z.string().trim().min(1, 'Name the connector, e.g. "Blog WP"').max(100, 'Keep the name under 100 characters');
const tags = z.array(z.string().trim().min(1, 'Tags cannot be empty').max(40, 'Keep tags under 40 characters')).max(20, 'At most 20 tags');
const jsonObject = (what: string) => z.record(z.string(), z.unknown(), { error: `${what} must be an object` });
/** Auth values: a string (or other JSON value) sets a field, null clears it. */
const authValues = z.record(z.string(), z.unknown(), { error: 'auth must be an object' });

export const createConnectorSchema = z.strictObject({
  catalog_key: z.string({ error: 'Choose a connector type' }).min(1, 'Choose a connector type'),
  name,
  config: jsonObject('config').default({}),
  auth: authValues.optional(),
  tags: tags.optional(),
});
export type CreateConnectorInput = z.input<typeof createConnectorSchema>;

export const updateConnectorSchema = z.strictObject({
  name: name.optional(),
  /** Merged into the stored config; a key set to null is removed. */
  config: jsonObject('config').optional(),
  /** Per field: absent keeps, a value replaces, null clears. */
  auth: authValues.optional(),
  tags: tags.optional(),
  status: z.enum(['inactive', 'active'], { error: 'status must be inactive or active (error is set by Scout)' }).optional(),
});
export type UpdateConnectorInput = z.input<typeof updateConnectorSchema>;

export const validateConfigSchema = z.strictObject({
  catalog_key: z.string().min(1, 'Choose a connector type'),
  config: jsonObject('config'),
  auth: authValues.optional(),
});

export const connectorListQuerySchema = z.object({
  search: z.string().max(100).optional(),
  status: z.enum(CONNECTOR_STATUSES, { error: 'status must be inactive, active or error' }).optional(),
  catalog: z.string().max(50).optional(),
});

/** The part of an Ajv error the messages read: the form (rjsf) and the server (Ajv) hand over the same fields. */
export interface SchemaIssue {
  keyword: string;
  params: Record<string, unknown>;
}

/**
 * One message a person can act on for a field that broke a rule of its
 * schema, worded the same in the form and in the server's 400. A field's
 * `x-error-message` answers for every rule about the value's shape, so a URL
 * that fails both `pattern` and `format` gets one sentence, not two.
 */
export function fieldMessage(property: JsonSchemaProperty | undefined, issue: SchemaIssue): string {
  const n = Number(issue.params.limit);
  const custom = property?.['x-error-message'];
  switch (issue.keyword) {
    case 'required':
      return 'Required';
    case 'minLength':
      return n <= 1 ? 'Required' : `Use at least ${n} characters`;
    case 'maxLength':
      return `Use at most ${n} characters`;
    case 'pattern':
      return custom ?? `Enter ${property?.title ? `a valid ${property.title.toLowerCase()}` : 'a valid value'}`;
    case 'format':
      return custom ?? (issue.params.format === 'uri' ? 'Enter a web address, starting with https://' : `Enter a valid ${String(issue.params.format)}`);
    case 'enum':
    case 'const':
    case 'oneOf':
      return `Choose one of: ${choiceLabels(property).join(', ')}`;
    case 'maxItems':
      return `Add at most ${n}`;
    case 'minItems':
      return `Add at least ${n}`;
    case 'minimum':
      return `Use ${n} or more`;
    case 'maximum':
      return `Use ${n} or less`;
    case 'type':
      return issue.params.type === 'string' ? 'Enter text' : `Enter a ${String(issue.params.type)}`;
    case 'additionalProperties':
      return 'is not a field of this connector';
    default:
      return custom ?? 'Check this value';
  }
}

/** The labels of a field's choices: the `oneOf` titles, else the raw `enum` values. */
export function choiceLabels(property: JsonSchemaProperty | undefined): string[] {
  if (property?.oneOf) return property.oneOf.map((option) => option.title ?? String(option.const));
  return (property?.enum ?? []).map(String);
}

/**
 * The property schema at a data path inside an object schema
 * (`['default_hashtags', '0']` is the hashtag's item schema), or undefined.
 */
export function propertyAt(schema: ObjectSchema | JsonSchemaProperty, path: readonly string[]): JsonSchemaProperty | undefined {
  let node: ObjectSchema | JsonSchemaProperty | undefined = schema;
  for (const part of path) {
    if (!node) return undefined;
    if (node.type === 'array') node = (node as JsonSchemaProperty).items;
    else node = (node as { properties?: Record<string, JsonSchemaProperty> }).properties?.[part];
  }
  return node as JsonSchemaProperty | undefined;
}

/**
 * The field a data path's message belongs under: list items ("tags.1") are
 * edited as chips in one control, so their messages go to the list.
 */
export function fieldPathOf(path: readonly string[]): string[] {
  return path.filter((part) => !/^\d+$/.test(part));
}
