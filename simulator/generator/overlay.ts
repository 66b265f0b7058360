import { type CaseRevision, type Generation } from './cases';
import { type ExtraForm } from './forms';
import { SALT } from './program';
import { uuid } from '../prng';
import { MICROS_PER_MS } from '../time';

/**
 * What /_sim mutate changed, kept small beside the computed base data: the
 * latest revision of each changed case, the base positions those cases left
 * ("holes"), the re-indexed cases in indexed_on order, and the forms that did
 * it. Only the changes live in memory, never the base records.
 */
export class Overlay {
  readonly revisions = new Map<number, CaseRevision>();
  /** Base positions (sorted) whose case was re-indexed into `order`. */
  readonly holes: number[] = [];
  /** Re-indexed and created cases, in indexed_on order. */
  readonly order: number[] = [];
  /** Forms added by mutations, in received_on order. */
  readonly extraForms: ExtraForm[] = [];
  /** Cases created so far (case numbers baseCount, baseCount + 1, ...). */
  createdCount = 0;
  /** Mutations applied so far: seeds each one's random choices. */
  mutationCount = 0;
  private lastStampUs: number;

  constructor(private readonly gen: Generation) {
    this.lastStampUs = gen.timeline.endUs;
  }

  revisionOf(index: number): CaseRevision | undefined {
    return this.revisions.size === 0 ? undefined : this.revisions.get(index);
  }

  /** Number of holes <= q. */
  holesUpTo(q: number): number {
    let lo = 0;
    let hi = this.holes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.holes[mid]! <= q) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** A fresh server timestamp: real time (clients may checkpoint on the clock), but always after everything already stamped. */
  stamp(): number {
    this.lastStampUs = Math.max(Date.now() * MICROS_PER_MS, this.lastStampUs + MICROS_PER_MS);
    return this.lastStampUs;
  }

  /**
   * Records a case's new revision and the form that made it, moving the case
   * to the end of indexed_on order. `basePosition` is where a base case sat
   * until now (null when it was already in the overlay or is new).
   */
  reindex(index: number, basePosition: number | null, kind: ExtraForm['kind'], changes: Record<string, string>, revision: CaseRevision): void {
    const previous = this.revisions.get(index);
    if (previous) this.order.splice(this.order.indexOf(index), 1);
    else if (basePosition !== null) this.holes.splice(this.holesUpTo(basePosition), 0, basePosition);
    const number = this.extraForms.length;
    const form: ExtraForm = {
      id: uuid(this.gen.program.key, SALT.extraForm, number),
      number,
      caseIndex: index,
      kind,
      receivedUs: revision.serverModifiedUs,
      indexedOnUs: revision.serverModifiedUs + this.gen.timeline.formIndexDelayUs,
      userIndex: revision.userIndex,
      changes,
    };
    this.extraForms.push(form);
    revision.formIds = [...(previous?.formIds ?? []), form.id];
    this.revisions.set(index, revision);
    this.order.push(index);
  }
}
