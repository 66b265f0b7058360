import { fieldMessage, fieldPathOf, propertyAt, secretFields, type CatalogEntry, type ConnectorSummary, type JsonSchemaProperty, type ObjectSchema } from '@shared/connectors';
import type { ErrorSchema, RJSFSchema, RJSFValidationError, UiSchema } from '@rjsf/utils';

/** What the user chose to do with each stored secret while editing. */
export type SecretAction = 'keep' | 'replace' | 'clear';

export interface ConnectorFormData {
  name?: string;
  tags?: string[];
  config?: Record<string, unknown>;
  auth?: Record<string, unknown>;
}

/**
 * One form for a connector: name and tags, then the type's config schema
 * ("Settings") and auth schema ("Credentials"). Credentials are never
 * required by the form: an inactive connector may lack them, and activation
 * is where the server insists.
 */
export function formSchema(entry: CatalogEntry): RJSFSchema {
  const auth: ObjectSchema = { ...entry.auth_schema, properties: formAuthProperties(entry), required: [] };
  return {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string', title: 'Name', description: `What this ${entry.name} connector is called in this domain, e.g. "Blog WP".`, minLength: 1, maxLength: 100 },
      tags: { type: 'array', title: 'Tags', items: { type: 'string', minLength: 1, maxLength: 40 }, maxItems: 20 },
      config: { ...(entry.config_schema as RJSFSchema), title: 'Settings' },
      ...(entry.auth_type === 'none' ? {} : { auth: { ...(auth as RJSFSchema), title: 'Credentials' } }),
    },
  };
}

/**
 * The auth fields the form shows: with Scout's OAuth app configured for the
 * type, the fields Connect fills (`x-oauth`) are left out, since the
 * connection sets them; without it, they are pasted like any other.
 */
export function formAuthProperties(entry: CatalogEntry): Record<string, JsonSchemaProperty> {
  if (!entry.oauth?.configured) return entry.auth_schema.properties;
  return Object.fromEntries(Object.entries(entry.auth_schema.properties).filter(([, property]) => property['x-oauth'] !== true));
}

/** Secret fields render as password inputs (or "Configured — Replace / Clear" once stored). */
export function formUiSchema(entry: CatalogEntry, readOnly: boolean): UiSchema {
  const secrets = secretFields({ ...entry.auth_schema, properties: formAuthProperties(entry) });
  return {
    'ui:submitButtonOptions': { norender: true },
    'ui:readonly': readOnly,
    tags: { 'ui:widget': 'chips', 'ui:options': { itemLabel: 'tag' } },
    config: Object.fromEntries(
      Object.entries(entry.config_schema.properties)
        .filter(([, property]) => isStringList(property))
        .map(([field, property]) => [field, { 'ui:widget': 'chips', 'ui:options': { itemLabel: singular(property.title ?? field) } }]),
    ),
    auth: Object.fromEntries(secrets.map((field) => [field, { 'ui:widget': 'secret' }])),
  };
}

function isStringList(property: JsonSchemaProperty): boolean {
  return property.type === 'array' && property.items?.type === 'string' && !property.items.enum && !property.items.oneOf;
}

/** "Default hashtags" → "hashtag": what one chip is, for its remove button. */
function singular(title: string): string {
  const last = title.trim().split(/\s+/).pop() ?? title;
  return last.toLowerCase().replace(/s$/, '');
}

/**
 * rjsf's Ajv messages in people's words, one per field: the same
 * `fieldMessage` the server answers with, so a message doesn't change when
 * the server is the one who finds it. A list item's message goes to its list.
 */
export function humanErrors(schema: RJSFSchema) {
  return (errors: RJSFValidationError[]): RJSFValidationError[] => {
    const seen = new Set<string>();
    const human: RJSFValidationError[] = [];
    for (const error of errors) {
      const path = (error.property ?? '').split('.').filter(Boolean);
      const field = fieldPathOf(path);
      const property = `.${field.join('.')}`;
      if (seen.has(property)) continue;
      seen.add(property);
      const message = fieldMessage(propertyAt(schema as ObjectSchema, path), { keyword: error.name ?? '', params: (error.params ?? {}) as Record<string, unknown> });
      human.push({ ...error, property, message, stack: `${property} ${message}` });
    }
    return human;
  };
}

/** The form's starting values: blank for a new connector, the stored (non-secret) values for an edit. */
export function initialFormData(connector: ConnectorSummary | undefined): ConnectorFormData {
  if (!connector) return { config: {}, auth: {} };
  return { name: connector.name, tags: connector.tags, config: structuredClone(connector.config), auth: structuredClone(connector.auth) };
}

/** The server's `{"config.base_url": ["…"]}` as rjsf's nested error schema, so each message sits under its field (a list item's under its list). */
export function toErrorSchema(fields: Record<string, string[]>): ErrorSchema {
  const root: Record<string, unknown> = {};
  for (const [path, messages] of Object.entries(fields)) {
    let node = root;
    for (const part of fieldPathOf(path.split('.').filter((p) => p !== '_'))) {
      node = (node[part] ??= {}) as Record<string, unknown>;
    }
    node.__errors = [...((node.__errors as string[] | undefined) ?? []), ...messages];
  }
  return root as ErrorSchema;
}

/**
 * The create or update body. Secrets follow the API's rules: a value
 * replaces, null clears, absent keeps; an untouched stored secret is left out.
 */
export function requestBody(entry: CatalogEntry, data: ConnectorFormData, actions: Record<string, SecretAction>, existing?: ConnectorSummary) {
  const secrets = new Set(secretFields(entry.auth_schema));
  const auth: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(data.auth ?? {})) {
    if (secrets.has(field)) continue;
    if (value !== undefined && value !== '') auth[field] = value;
  }
  for (const field of Object.keys(existing?.auth ?? {})) if (!(field in auth)) auth[field] = null;
  for (const field of secrets) {
    const value = data.auth?.[field];
    if (actions[field] === 'clear') auth[field] = null;
    else if (typeof value === 'string' && value !== '') auth[field] = value;
  }
  const config = Object.fromEntries(Object.entries(data.config ?? {}).filter(([, v]) => v !== undefined));
  if (existing) for (const field of Object.keys(existing.config)) if (!(field in config)) config[field] = null;
  return {
    name: (data.name ?? '').trim(),
    config,
    tags: (data.tags ?? []).map((t) => t.trim()).filter(Boolean),
    ...(entry.auth_type === 'none' ? {} : { auth }),
  };
}
