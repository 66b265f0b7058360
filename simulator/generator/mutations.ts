import { caseCore, caseTypeOf } from './blocks';
import { buildCase, deviceLagUs, formUserIndex, generateChanges, type CaseRevision, type Generation } from './cases';
import { type Overlay } from './overlay';
import { SALT } from './program';
import { Rng, hash32 } from '../prng';

/**
 * Change over time (/_sim mutate): modify and close random open cases and
 * create new ones, each change stamped with a fresh server time and recorded
 * with a form, as a follow-up submission would on HQ. The choice of cases is
 * seeded by (domain, mutation number), so a replayed test picks the same ones.
 */

export interface MutationChange {
  modify?: number;
  create?: number;
  close?: number;
}

export interface AppliedMutation {
  /** Case numbers, in the order they were changed (= indexed_on order). */
  modified: number[];
  closed: number[];
  created: number[];
}

/** HQ indexes a change shortly after processing it. */
const INDEX_DELAY_US = 500;

function isOpen(gen: Generation, overlay: Overlay, index: number): boolean {
  const revision = overlay.revisions.get(index);
  return revision ? !revision.closed : !caseCore(gen.program.key, index).closedInBase;
}

/** Draws up to `count` distinct open cases not in `taken` (fewer if open cases run out). */
function pickOpen(gen: Generation, overlay: Overlay, rng: Rng, count: number, taken: Set<number>): number[] {
  const total = gen.baseCount + overlay.createdCount;
  const picked: number[] = [];
  if (total === 0) return picked;
  for (let attempts = 0; picked.length < count && attempts < count * 30 + 200; attempts++) {
    const index = rng.int(total);
    if (taken.has(index) || !isOpen(gen, overlay, index)) continue;
    taken.add(index);
    picked.push(index);
  }
  return picked;
}

function nextRevision(gen: Generation, overlay: Overlay, index: number, closed: boolean): CaseRevision {
  const { program } = gen;
  const previous = overlay.revisions.get(index);
  const serverModifiedUs = overlay.stamp();
  return {
    revision: (previous?.revision ?? 0) + 1,
    createdUs: previous?.createdUs ?? null,
    serverModifiedUs,
    indexedOnUs: serverModifiedUs + INDEX_DELAY_US,
    closed,
    closedUs: closed ? serverModifiedUs - deviceLagUs(program.key, -serverModifiedUs) : null,
    userIndex: formUserIndex(program, index, 1000 + (previous?.revision ?? 0)),
    properties: { ...(previous?.properties ?? {}) },
    formIds: [],
  };
}

export function applyMutation(gen: Generation, overlay: Overlay, basePositionOf: (index: number) => number, change: MutationChange): AppliedMutation {
  const { program, baseCount, timeline } = gen;
  const rng = new Rng(hash32(program.key, SALT.mutation, overlay.mutationCount++));
  const taken = new Set<number>();
  const applied: AppliedMutation = { modified: [], closed: [], created: [] };
  const basePosition = (index: number) => (index < baseCount && !overlay.revisions.has(index) ? basePositionOf(index) : null);

  for (const index of pickOpen(gen, overlay, rng, change.modify ?? 0, taken)) {
    const revision = nextRevision(gen, overlay, index, false);
    const openedUs = overlay.revisions.get(index)?.createdUs ?? timeline.formReceivedUs(index);
    const changes = generateChanges(gen, index, revision.revision, openedUs);
    Object.assign(revision.properties, changes);
    overlay.reindex(index, basePosition(index), 'update', changes, revision);
    applied.modified.push(index);
  }

  for (const index of pickOpen(gen, overlay, rng, change.close ?? 0, taken)) {
    const revision = nextRevision(gen, overlay, index, true);
    const changes: Record<string, string> = caseTypeOf(program.key, index) === 'pregnancy' ? { pregnancy_outcome: 'live_birth' } : {};
    Object.assign(revision.properties, changes);
    overlay.reindex(index, basePosition(index), 'close', changes, revision);
    applied.closed.push(index);
  }

  for (let n = 0; n < (change.create ?? 0); n++) {
    const index = baseCount + overlay.createdCount++;
    const createdUs = overlay.stamp();
    const revision: CaseRevision = {
      revision: 0,
      createdUs,
      serverModifiedUs: createdUs,
      indexedOnUs: createdUs + INDEX_DELAY_US,
      closed: false,
      closedUs: null,
      userIndex: formUserIndex(program, index, 0),
      properties: {},
      formIds: [],
    };
    // The registration form carries every property the case starts with.
    const properties = buildCase(gen, index, revision).properties;
    overlay.reindex(index, null, 'create', properties, revision);
    applied.created.push(index);
  }
  return applied;
}
