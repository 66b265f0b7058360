import { type CaseType } from './case-types';
import { FEMALE_NAMES, MALE_NAMES, SURNAMES } from './names';
import { SALT, type Program } from './program';
import { hash32 } from '../prng';

/**
 * Cases come in blocks of BLOCK_SIZE consecutive case numbers: one household,
 * its members, maybe a pregnancy, and visits. A block follows one of a few
 * templates (picked by hash), and every parent sits earlier in its own block,
 * so a case's type and parent are O(1) arithmetic on its number, and a parent
 * is always opened before its children.
 */

export const BLOCK_SIZE = 8;

export type Role = 'household' | 'head' | 'mother' | 'member' | 'pregnancy' | 'visit';

interface Slot {
  type: CaseType;
  role: Role;
  /** Position of the parent within the block, -1 for none. */
  parent: number;
}

const H: Slot = { type: 'household', role: 'household', parent: -1 };
const head: Slot = { type: 'person', role: 'head', parent: 0 };
const mother: Slot = { type: 'person', role: 'mother', parent: 0 };
const member: Slot = { type: 'person', role: 'member', parent: 0 };
const pregnancy = (parent: number): Slot => ({ type: 'pregnancy', role: 'pregnancy', parent });
const visit = (parent: number): Slot => ({ type: 'visit', role: 'visit', parent });

const TEMPLATES: readonly (readonly Slot[])[] = [
  [H, head, mother, member, member, pregnancy(2), visit(5), visit(3)],
  [H, head, mother, member, pregnancy(2), visit(4), visit(4), visit(1)],
  [H, head, member, member, member, member, visit(2), visit(5)],
  // A woman-headed household: the mother is the head.
  [H, mother, member, pregnancy(1), visit(3), visit(3), visit(2), member],
];

const CLOSED_SHARE: Record<CaseType, number> = { household: 0.03, person: 0.05, pregnancy: 0.4, visit: 0.7 };

export interface CaseCore {
  index: number;
  type: CaseType;
  role: Role;
  /** Case number of the block's household. */
  blockHead: number;
  /** Case number of the parent, -1 for households. */
  parentIndex: number;
  /** Whether the base (unmutated) case ends up closed. */
  closedInBase: boolean;
}

function templateOf(key: number, block: number): readonly Slot[] {
  return TEMPLATES[hash32(key, SALT.block, block) % TEMPLATES.length]!;
}

function slotOf(key: number, index: number): Slot {
  return templateOf(key, Math.floor(index / BLOCK_SIZE))[index % BLOCK_SIZE]!;
}

export function caseCore(key: number, index: number): CaseCore {
  const position = index % BLOCK_SIZE;
  const blockHead = index - position;
  const slot = slotOf(key, index);
  return {
    index,
    type: slot.type,
    role: slot.role,
    blockHead,
    parentIndex: slot.parent < 0 ? -1 : blockHead + slot.parent,
    closedInBase: hash32(key, SALT.case, index, 1) / 4294967296 < CLOSED_SHARE[slot.type],
  };
}

/** Only the type: the hot path of per-type filters. */
export function caseTypeOf(key: number, index: number): CaseType {
  return slotOf(key, index).type;
}

/** Registered members of the block's household (its household_size starts from this). */
export function personsInBlock(key: number, blockHead: number): number {
  return templateOf(key, blockHead / BLOCK_SIZE).filter((slot) => slot.type === 'person').length;
}

export function surnameOf(key: number, blockHead: number): string {
  return SURNAMES[hash32(key, SALT.block, blockHead, 1) % SURNAMES.length]!;
}

export function villageOf(program: Program, blockHead: number): number {
  return hash32(program.key, SALT.block, blockHead, 2) % program.villages.length;
}

/** The mobile worker who serves the block's household (and owns it when the owner is a user): one assigned to its village. */
export function workerOf(program: Program, blockHead: number): number {
  const candidates = program.villageWorkers[villageOf(program, blockHead)]!;
  return candidates[hash32(program.key, SALT.block, blockHead, 3) % candidates.length]!;
}

/**
 * Half the households belong to their village (a case-sharing location),
 * three in ten to their worker, the rest to a case-sharing team, as in
 * domains that mix location and group case sharing.
 */
export function ownerOf(program: Program, blockHead: number): string {
  const draw = hash32(program.key, SALT.block, blockHead, 4) % 10;
  if (draw < 5) return program.villages[villageOf(program, blockHead)]!.id;
  if (draw < 8) return program.workers[workerOf(program, blockHead)]!.id;
  const teams = program.caseSharingGroups;
  return teams[hash32(program.key, SALT.block, blockHead, 5) % teams.length]!.id;
}

export function isFemale(key: number, index: number, role: Role): boolean {
  if (role === 'mother') return true;
  const draw = hash32(key, SALT.person, index, 1) % 100;
  return role === 'head' ? draw < 30 : draw < 50;
}

export function firstNameOf(key: number, index: number, role: Role): string {
  const names = isFemale(key, index, role) ? FEMALE_NAMES : MALE_NAMES;
  return names[hash32(key, SALT.person, index, 2) % names.length]!;
}

/** The person a case is about: itself for a person, the mother for a pregnancy, the visited person for a visit. */
export function subjectPersonOf(key: number, index: number): number {
  let current = caseCore(key, index);
  while (current.type !== 'person' && current.parentIndex >= 0) {
    if (current.type === 'household') return -1;
    current = caseCore(key, current.parentIndex);
  }
  return current.type === 'person' ? current.index : -1;
}
