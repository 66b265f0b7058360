import type { KnowledgeCan } from '../../../shared/knowledge';
import { can, type Actor } from '../../platform/permissions';

/**
 * Who shapes a domain's knowledge: owners and admins edit it, review what
 * others suggest and learn, and verify queries (knowledge.manage); every
 * member suggests changes and submits learnings (knowledge.suggest), and
 * every member (and their agent) reads it.
 */
export function knowledgeCan(actor: Actor): KnowledgeCan {
  return { edit: can(actor, 'knowledge.manage'), suggest: can(actor, 'knowledge.suggest') };
}
