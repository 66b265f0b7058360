import { type FormNode } from './case-types';
import { propertyNames } from './cases';
import { type JsonObject } from './forms';
import { type Program } from './program';
import { formatNaive, formatUtc } from '../time';

/**
 * The application API's view of a domain's apps, shaped like HQ's
 * ApplicationResource (modules → forms → questions from get_questions with
 * groups included). Keys are sorted, as tastypie serialises them.
 */

function questions(nodes: readonly FormNode[], parentPath: string, parentGroup: string | null, out: JsonObject[] = []): JsonObject[] {
  for (const node of nodes) {
    const path = `${parentPath}/${node.id}`;
    const isGroup = node.kind === 'group';
    const question: JsonObject = {
      comment: null,
      group: parentGroup,
      hashtagValue: path.replace(/^\/data/, '#form'),
      label: node.label,
      ...(node.kind === 'question' && node.options ? { options: node.options.map((value) => ({ label: value.replace(/_/g, ' '), value })) } : {}),
      relevant: null,
      repeat: null,
      required: !isGroup && node.property !== undefined,
      tag: isGroup ? 'group' : node.type === 'Select' ? 'select1' : 'input',
      translations: { en: node.label },
      type: isGroup ? 'Group' : node.type,
      value: path,
    };
    out.push(question);
    if (isGroup) questions(node.children, path, path, out);
  }
  return out;
}

export function applicationObjects(program: Program, resourceUriOf: (appId: string) => string): JsonObject[] {
  return program.apps.map((app) => ({
    build_comment: null,
    built_from_app_id: null,
    built_on: formatNaive(app.builtOnUs).slice(0, 19),
    id: app.id,
    is_released: true,
    modules: app.modules.map((module) => ({
      case_properties: propertyNames(module.caseType),
      case_type: module.caseType,
      forms: module.forms.map((form) => ({
        name: { en: form.def.name },
        questions: questions(form.def.children, '/data', null),
        unique_id: form.uniqueId,
        xmlns: form.xmlns,
      })),
      name: { en: module.name },
      unique_id: module.uniqueId,
    })),
    name: app.name,
    resource_uri: resourceUriOf(app.id),
    version: app.version,
    versions: [{ build_comment: '', built_on: formatUtc(app.builtOnUs), id: app.buildId, is_released: true, version: app.version }],
  }));
}
