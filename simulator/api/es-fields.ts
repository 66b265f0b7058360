import { type EsField } from './es-terms';
import { caseIdOf } from '../generator/cases';
import { type CaseProbe, type FormProbe } from '../generator/domain-data';
import { type JsonObject } from '../generator/forms';
import { parseTimestamp } from '../time';

/**
 * The indexed fields of HQ's case and form Elasticsearch documents
 * (corehq/apps/es/mappings/case_mapping.py, xform_mapping.py, both
 * `dynamic: False`), read from the generated records. Case properties and
 * most form answers are not indexed, so a term on them matches nothing, as
 * on HQ. Cheap fields read the probe; the rest build the record.
 */

const constant = <P>(kind: EsField<P>['kind'], value: string | boolean | readonly string[] | null): EsField<P> => ({ kind, get: () => value });
const keyword = <P>(get: EsField<P>['get']): EsField<P> => ({ kind: 'keyword', get });
const text = <P>(get: EsField<P>['get']): EsField<P> => ({ kind: 'text', get });
const date = <P>(get: EsField<P>['get']): EsField<P> => ({ kind: 'date', get });

export const CASE_FIELDS: Readonly<Record<string, EsField<CaseProbe>>> = {
  _id: keyword((p) => caseIdOf(p.data.gen.program.key, p.index)),
  doc_id: keyword((p) => caseIdOf(p.data.gen.program.key, p.index)),
  backend_id: constant('keyword', 'sql'),
  closed: { kind: 'boolean', get: (p) => p.closed },
  closed_by: keyword((p) => p.record.closedBy),
  closed_on: date((p) => p.record.closedUs),
  contact_phone_number: constant('keyword', null),
  doc_type: constant('keyword', 'CommCareCase'),
  domain: text((p) => p.data.domain),
  'domain.exact': keyword((p) => p.data.domain),
  external_id: text((p) => p.record.externalId),
  'external_id.exact': keyword((p) => p.record.externalId),
  initial_processing_complete: constant('boolean', true),
  inserted_at: date((p) => p.record.indexedOnUs),
  location_id: constant('text', null),
  modified_on: date((p) => p.record.modifiedUs),
  name: text((p) => p.record.name),
  'name.exact': keyword((p) => p.record.name),
  opened_by: keyword((p) => p.record.openedBy),
  opened_on: date((p) => p.record.openedUs),
  owner_id: keyword((p) => p.ownerId),
  owner_type: constant('keyword', null),
  server_modified_on: date((p) => p.record.serverModifiedUs),
  type: text((p) => p.type),
  'type.exact': keyword((p) => p.type),
  user_id: text((p) => p.record.userId),
  version: constant('text', null),
  xform_ids: keyword((p) => p.record.xformIds),
};

const CASE_XMLNS = 'http://commcarehq.org/case/transaction/v2';

function formAt(p: FormProbe, ...path: string[]): string | null {
  let node: unknown = p.record.body;
  for (const step of path) node = node !== null && typeof node === 'object' ? (node as JsonObject)[step] : undefined;
  return typeof node === 'string' ? node : null;
}

const formDate = (...path: string[]) => date<FormProbe>((p) => parseTimestamp(formAt(p, ...path) ?? '')?.us ?? null);
const worker = (p: FormProbe) => p.data.gen.program.workers[p.userIndex]!;

export const FORM_FIELDS: Readonly<Record<string, EsField<FormProbe>>> = {
  _id: keyword((p) => p.id),
  doc_id: keyword((p) => p.id),
  '#export_tag': constant('keyword', ['domain', 'xmlns']),
  '@uiVersion': constant('keyword', '1'),
  '@version': keyword((p) => String(p.meta.appVersion)),
  __retrieved_case_ids: keyword((p) => [caseIdOf(p.data.gen.program.key, p.caseIndex)]),
  app_id: keyword((p) => p.meta.appId),
  backend_id: constant('keyword', 'sql'),
  build_id: keyword((p) => p.meta.buildId),
  doc_type: constant('text', 'XFormInstance'),
  'doc_type.exact': constant('keyword', 'XFormInstance'),
  domain: text((p) => p.data.domain),
  'domain.exact': keyword((p) => p.data.domain),
  'form.#type': constant('keyword', 'data'),
  'form.@name': keyword((p) => p.def.name),
  'form.case.@case_id': keyword((p) => caseIdOf(p.data.gen.program.key, p.caseIndex)),
  'form.case.@date_modified': formDate('form', 'case', '@date_modified'),
  'form.case.@user_id': keyword((p) => worker(p).id),
  'form.case.@xmlns': constant('keyword', CASE_XMLNS),
  'form.meta.appVersion': keyword((p) => formAt(p, 'form', 'meta', 'appVersion')),
  'form.meta.deviceID': keyword((p) => worker(p).deviceId),
  'form.meta.instanceID': keyword((p) => p.id),
  'form.meta.timeEnd': formDate('form', 'meta', 'timeEnd'),
  'form.meta.timeStart': formDate('form', 'meta', 'timeStart'),
  'form.meta.userID': keyword((p) => worker(p).id),
  'form.meta.username': keyword((p) => worker(p).username),
  initial_processing_complete: constant('boolean', true),
  inserted_at: date((p) => p.data.formIndexedOnAt(p.position)),
  partial_submission: constant('boolean', false),
  received_on: date((p) => p.data.formReceivedAt(p.position)),
  server_modified_on: date((p) => p.data.formReceivedAt(p.position)),
  submit_ip: keyword((p) => formAt(p, 'submit_ip')),
  xmlns: text((p) => p.meta.xmlns),
};
