import { ERROR_CODES } from '../../shared/errors';
import { DOMAIN_ACTIONS, type Can, type DomainAction } from '../../shared/permissions';
import type { Role } from '../../shared/tenants';
import { AppError } from './http/errors';

/**
 * Who may do what in a domain: one table for the whole server, actions ×
 * roles. Every route asks it (through `authorize`), and every response that
 * describes a domain carries its answers as `can` flags for the web.
 */

/** The caller's side of a question: their role in the domain. */
export interface Actor {
  role: Role;
}

const EVERY_MEMBER: readonly Role[] = ['owner', 'admin', 'analyst'];
const MANAGERS: readonly Role[] = ['owner', 'admin'];

const RULES: Readonly<Record<DomainAction, readonly Role[]>> = {
  // Every member reads the warehouse, syncs it, asks questions and sees the connectors.
  'warehouse.view': EVERY_MEMBER,
  'warehouse.sync': EVERY_MEMBER,
  'warehouse.cancel': EVERY_MEMBER,
  'data.query': EVERY_MEMBER,
  'chat.use': EVERY_MEMBER,
  'connectors.view': EVERY_MEMBER,
  'members.view': EVERY_MEMBER,
  // Every member saves questions and dashboards, and edits and schedules their own (features/questions/policy.ts).
  'questions.create': EVERY_MEMBER,
  // Every member (and their agent) drafts publications; nothing leaves Scout without an owner's or admin's approval.
  'publications.draft': EVERY_MEMBER,
  // Every member suggests changes to the domain's knowledge and reports wrong answers (learnings).
  'knowledge.suggest': EVERY_MEMBER,
  // Owners and admins change what the domain is: its data, its connectors, its members, and read what was done.
  'warehouse.teardown': MANAGERS,
  'audit.read': MANAGERS,
  'connectors.manage': MANAGERS,
  'members.manage': MANAGERS,
  // Owners and admins edit everyone's, open a dashboard to people outside the domain, and schedule its syncs.
  'questions.manage': MANAGERS,
  'dashboards.share': MANAGERS,
  'warehouse.schedule': MANAGERS,
  'publications.approve': MANAGERS,
  // Owners and admins edit the glossary, descriptions and measures, verify queries and review suggestions and learnings.
  'knowledge.manage': MANAGERS,
  // Publishing without approval is the owner's explicit choice, per connector and schedule.
  'publications.auto': ['owner'],
};

/** Why a refusal happened, in words for the person refused. */
const REFUSALS: Readonly<Partial<Record<DomainAction, string>>> = {
  'warehouse.teardown': "Only owners and admins of this domain can clear its data.",
  'audit.read': 'Only owners and admins of this domain can read its audit log.',
  'connectors.manage': 'Only owners and admins of this domain can add, change or remove connectors; analysts can view them.',
  'members.manage': "Only owners and admins of this domain can change its members.",
  'questions.manage': "Only the author, and the domain's owners and admins, can change this.",
  'dashboards.share': 'Only owners and admins of this domain can share a dashboard outside it.',
  'warehouse.schedule': "Only owners and admins of this domain can schedule its syncs.",
  'publications.approve': 'Only owners and admins of this domain can approve or reject what is published.',
  'publications.auto': "Only the domain's owner can let a schedule publish without approval.",
  'knowledge.manage': "Only owners and admins of this domain can change its knowledge directly; suggest the change instead and an owner or admin will review it.",
};

export function can(actor: Actor, action: DomainAction): boolean {
  return RULES[action].includes(actor.role);
}

/** Throws 403 with the reason when the actor may not. */
export function authorize(actor: Actor, action: DomainAction): void {
  if (!can(actor, action)) throw new AppError(403, ERROR_CODES.forbidden, REFUSALS[action] ?? 'Your role in this domain does not allow this.');
}

/** Every answer for the actor, for the web. */
export function canFlags(actor: Actor): Can {
  return Object.fromEntries(DOMAIN_ACTIONS.map((action) => [action, can(actor, action)])) as Can;
}

/**
 * Rules about one member acting on another, beyond the table: a domain
 * always has exactly one owner, only the owner hands ownership on, and
 * admins manage everyone but the owner. Each answers why not, or undefined.
 */
export interface MemberRef {
  membership_id: string;
  role: Role;
}

export interface Refusal {
  status: 403 | 409;
  message: string;
}

export function refuseRoleChange(actor: MemberRef, target: MemberRef, to: Role): Refusal | undefined {
  if (!can(actor, 'members.manage')) return { status: 403, message: REFUSALS['members.manage']! };
  if (to === 'owner' && actor.role !== 'owner') return { status: 403, message: 'Only the owner of this domain can make someone else its owner.' };
  if (target.role === 'owner' && actor.role !== 'owner') return { status: 403, message: "Admins can't change the owner's role." };
  if (target.role === 'owner' && to !== 'owner') {
    return { status: 409, message: 'A domain always has an owner: make another member owner first, and you become an admin.' };
  }
  return undefined;
}

/** `members` is how many active members the domain has: its only member may always leave (disconnect). */
export function refuseRemoval(actor: MemberRef, target: MemberRef, members: number): Refusal | undefined {
  const leaving = actor.membership_id === target.membership_id;
  if (leaving && members === 1) return undefined;
  if (target.role === 'owner') {
    return leaving
      ? { status: 409, message: 'You own this domain: make another member owner before you leave.' }
      : { status: 403, message: "The owner can't be removed; the owner can hand ownership on, then leave." };
  }
  if (!leaving && !can(actor, 'members.manage')) return { status: 403, message: REFUSALS['members.manage']! };
  return undefined;
}
