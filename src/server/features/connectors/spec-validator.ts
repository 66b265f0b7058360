import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { fieldMessage, fieldPathOf, propertyAt, secretFields, type CatalogEntry, type ObjectSchema } from '../../../shared/connectors';

export type FieldErrors = Record<string, string[]>;

// ajv-formats is CommonJS; under ESM its function sits on `default`.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

/**
 * Validates connector config and auth against a catalog entry's JSON Schemas
 * with Ajv 8 (`allErrors`, `strict`, formats, defaults). Each schema is
 * compiled once per spec version. Messages never quote the submitted value,
 * so a secret can't come back in an error.
 */
export class SpecValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    this.ajv = new Ajv({ allErrors: true, strict: true, useDefaults: true });
    addFormats(this.ajv);
    this.ajv.addKeyword({ keyword: 'x-secret', schemaType: 'boolean' });
    this.ajv.addKeyword({ keyword: 'x-error-message', schemaType: 'string' });
    // Marks a field the OAuth Connect flow sets (X, LinkedIn tokens).
    this.ajv.addKeyword({ keyword: 'x-oauth', schemaType: 'boolean' });
  }

  /** Validates (and fills defaults into) `config`; errors keyed `config.<path>`. */
  config(entry: CatalogEntry, config: Record<string, unknown>): FieldErrors {
    const validate = this.compile(`${entry.key}@${entry.spec_version}:config`, entry.config_schema);
    validate(config);
    return mapErrors(validate.errors ?? [], 'config', entry.config_schema);
  }

  /**
   * Validates the auth values given (each against its field's schema); which
   * fields must be present is `missingAuth`'s job, since secrets already
   * stored are not in hand.
   */
  authValues(entry: CatalogEntry, auth: Record<string, unknown>): FieldErrors {
    if (entry.auth_type === 'none') {
      return Object.keys(auth).length > 0 ? { auth: [`${entry.name} takes no credentials`] } : {};
    }
    const partial: ObjectSchema = { ...entry.auth_schema, required: [] };
    const validate = this.compile(`${entry.key}@${entry.spec_version}:auth-values`, partial);
    validate(auth);
    return mapErrors(validate.errors ?? [], 'auth', entry.auth_schema);
  }

  /** Required auth fields that are neither given nor stored. */
  missingAuth(entry: CatalogEntry, present: ReadonlySet<string>): FieldErrors {
    const errors: FieldErrors = {};
    const secrets = new Set(secretFields(entry.auth_schema));
    for (const field of entry.auth_schema.required ?? []) {
      if (!present.has(field)) errors[`auth.${field}`] = [secrets.has(field) ? 'This secret is required to activate the connector' : 'Required to activate the connector'];
    }
    return errors;
  }

  private compile(id: string, schema: ObjectSchema): ValidateFunction {
    let validate = this.compiled.get(id);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(id, validate);
    }
    return validate;
  }
}

/**
 * Ajv errors as `{"config.base_url": ["Enter the site's address, starting with https://"]}`:
 * one human message per field (the first rule it broke, in the words of
 * `fieldMessage`), list items' messages under their list.
 */
export function mapErrors(errors: ErrorObject[], prefix: string, schema?: ObjectSchema): FieldErrors {
  const fields: FieldErrors = {};
  for (const error of errors) {
    const path = error.instancePath.split('/').filter(Boolean);
    if (error.keyword === 'required') path.push(String((error.params as { missingProperty: string }).missingProperty));
    else if (error.keyword === 'additionalProperties') path.push(String((error.params as { additionalProperty: string }).additionalProperty));
    const key = [prefix, ...fieldPathOf(path)].join('.');
    if (fields[key]) continue;
    const property = schema ? propertyAt(schema, path) : undefined;
    fields[key] = [fieldMessage(property, { keyword: error.keyword, params: error.params as Record<string, unknown> })];
  }
  return fields;
}
