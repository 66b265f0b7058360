import { PROGRAM_START_US, SALT } from './program';
import { hash32 } from '../prng';
import { MICROS_PER_DAY, MICROS_PER_SECOND } from '../time';

/**
 * When base records happened. Submissions come in "waves": form slot
 * s = wave * caseCount + i is case i's form number `wave`, so slot 0..N-1 are
 * the registrations and later waves the follow-ups. Slot times increase with s,
 * which makes form `received_on` and `indexed_on` monotonic in the slot and
 * case timestamps monotonic in the case number: ordering and date-range
 * filters become arithmetic and binary searches instead of sorts.
 *
 * A few cases share an `indexed_on` (HQ re-indexes in bulk, so real data has
 * ties): in each run of TIE_GROUP cases, the last TIE_GROUP - TIE_START share
 * one timestamp and sort by case_id, which is what makes a client's
 * "drop the boundary duplicate" logic in keyset paging matter.
 */

export const TIE_GROUP = 20;
export const TIE_START = 17;

/** Base history spans two years, whatever the size. */
const SPAN_US = 730 * MICROS_PER_DAY;

export class Timeline {
  /** Form slots per case for timing purposes (at least one, even with --forms-per-case 0). */
  readonly waves: number;
  readonly stepUs: number;
  /** Forms are indexed a little after they are received. */
  readonly formIndexDelayUs: number;
  /** Cases too. Any constant delay keeps case indexed_on strictly increasing between tie groups. */
  readonly caseIndexDelayUs: number;

  constructor(
    private readonly key: number,
    readonly baseCount: number,
    formsPerCase: number,
  ) {
    this.waves = Math.max(1, formsPerCase);
    this.stepUs = Math.max(16, Math.floor(SPAN_US / Math.max(1, baseCount * this.waves)));
    this.formIndexDelayUs = Math.min(Math.floor(this.stepUs / 4), 2 * MICROS_PER_SECOND);
    this.caseIndexDelayUs = Math.min(Math.floor(this.stepUs / 2), 3 * MICROS_PER_SECOND);
  }

  /** Server receipt time of base form slot s: strictly increasing in s. */
  formReceivedUs(slot: number): number {
    const jitter = hash32(this.key, SALT.jitter, slot) % Math.max(1, Math.floor(this.stepUs / 2));
    return PROGRAM_START_US + slot * this.stepUs + jitter;
  }

  formIndexedUs(slot: number): number {
    return this.formReceivedUs(slot) + this.formIndexDelayUs;
  }

  lastSlotOf(caseIndex: number): number {
    return (this.waves - 1) * this.baseCount + caseIndex;
  }

  /** The last case of i's tie group (i itself outside the tied tail of its group). */
  tieLast(caseIndex: number): number {
    if (caseIndex % TIE_GROUP < TIE_START) return caseIndex;
    return Math.min(caseIndex - (caseIndex % TIE_GROUP) + TIE_GROUP - 1, this.baseCount - 1);
  }

  /** `indexed_on` of base case i: after its last form, shared across its tie group, strictly increasing between groups. */
  caseIndexedOnUs(caseIndex: number): number {
    return this.formReceivedUs(this.lastSlotOf(this.tieLast(caseIndex))) + this.caseIndexDelayUs;
  }

  /** Later than every base timestamp: mutations are stamped after this. */
  get endUs(): number {
    return this.formReceivedUs(this.baseCount * this.waves) + this.stepUs;
  }
}
