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
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchemaProperty;
  maxItems?: number;
  writeOnly?: boolean;
  'x-secret'?: boolean;
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
  created_by: string | null;
  created_at: string;
  updated_by: string | null;
  updated_at: string;
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
