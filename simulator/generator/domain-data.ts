import { BLOCK_SIZE, caseCore, caseTypeOf, ownerOf } from './blocks';
import { type CaseType, type FormDef } from './case-types';
import { buildCase, caseIdOf, formIdOf, formUserIndex, modificationTimes, type CaseRecord, type CaseRevision, type Generation } from './cases';
import { baseFormDef, buildBaseForm, buildExtraForm, extraFormDef, type FormRecord } from './forms';
import { applyMutation, type MutationChange } from './mutations';
import { Overlay } from './overlay';
import { buildProgram, type FormMeta } from './program';
import { TIE_GROUP, TIE_START, Timeline } from './timeline';
import { formatUtc } from '../time';

/**
 * One domain's data: the base records (computed on demand), the overlay of
 * changes made through /_sim mutate, and the one order every API pages in:
 * (indexed_on, case_id) for cases, received_on (= indexed_on order) for forms.
 *
 * Case "sequence positions" p run over that order. Base cases occupy the front
 * in base order, minus the "holes" left by base cases a mutation re-indexed;
 * the overlay follows, newest last, exactly as HQ moves a re-indexed case to
 * the end of indexed_on order.
 */

export type { MutationChange } from './mutations';

export interface MutationResult {
  domain: string;
  modified: string[];
  created: string[];
  closed: string[];
  formsAdded: number;
  totalCases: number;
  totalForms: number;
  /** `indexed_on` (case API v2 format) of the first and last changed case; null when nothing changed. */
  indexedOnFrom: string | null;
  indexedOnTo: string | null;
}

/** Lazily computed case fields for filter scans: most filters never need the full record. */
export class CaseProbe {
  index = 0;
  revision: CaseRevision | undefined;
  private full: CaseRecord | undefined;

  constructor(readonly data: DomainData) {}

  at(index: number): this {
    this.index = index;
    this.revision = this.data.revisionOf(index);
    this.full = undefined;
    return this;
  }

  get type(): CaseType {
    return caseTypeOf(this.data.gen.program.key, this.index);
  }

  get ownerId(): string {
    return ownerOf(this.data.gen.program, this.index - (this.index % BLOCK_SIZE));
  }

  get closed(): boolean {
    return this.revision ? this.revision.closed : caseCore(this.data.gen.program.key, this.index).closedInBase;
  }

  get record(): CaseRecord {
    this.full ??= buildCase(this.data.gen, this.index, this.revision);
    return this.full;
  }
}

/** Lazily computed form fields for filter scans: most filters need only the definition, case or user. */
export class FormProbe {
  position = 0;
  private full: FormRecord | undefined;

  constructor(readonly data: DomainData) {}

  at(position: number): this {
    this.position = position;
    this.full = undefined;
    return this;
  }

  get def(): FormDef {
    return this.data.formDefAt(this.position);
  }

  get meta(): FormMeta {
    return this.data.gen.program.formMeta(this.def.key);
  }

  get caseIndex(): number {
    return this.data.formCaseIndexAt(this.position);
  }

  /** Index into program.workers of the submitting worker. */
  get userIndex(): number {
    return this.data.formUserIndexAt(this.position);
  }

  get id(): string {
    return this.data.formIdAt(this.position);
  }

  get record(): FormRecord {
    this.full ??= this.data.formAt(this.position);
    return this.full;
  }
}

const MAX_CACHED_SCANS = 24;

export class DomainData {
  readonly gen: Generation;
  readonly domain: string;
  /** Bumped by every mutation; cached scans are keyed on nothing else. */
  version = 0;

  private readonly overlay: Overlay;
  private readonly scans = new Map<string, Int32Array>();
  private tieCache: { group: number; members: number[] } | undefined;

  constructor(seed: number, domain: string, caseCount: number, formsPerCase: number) {
    const program = buildProgram(seed, domain, caseCount);
    this.domain = domain;
    this.gen = { program, timeline: new Timeline(program.key, caseCount, formsPerCase), baseCount: caseCount, formsPerCase };
    this.overlay = new Overlay(this.gen);
  }

  revisionOf(index: number): CaseRevision | undefined {
    return this.overlay.revisionOf(index);
  }

  // ---- cases in sequence order ----

  caseCount(): number {
    return this.gen.baseCount - this.overlay.holes.length + this.overlay.order.length;
  }

  /** Members of a tie group, sorted by case_id (their order among equal indexed_on). */
  private tieMembers(groupStart: number): number[] {
    if (this.tieCache?.group === groupStart) return this.tieCache.members;
    const members: number[] = [];
    for (let i = groupStart + TIE_START; i < Math.min(groupStart + TIE_GROUP, this.gen.baseCount); i++) members.push(i);
    const key = this.gen.program.key;
    const ids = new Map(members.map((i) => [i, caseIdOf(key, i)]));
    members.sort((a, b) => (ids.get(a)! < ids.get(b)! ? -1 : 1));
    this.tieCache = { group: groupStart, members };
    return members;
  }

  private baseIndexAtPosition(q: number): number {
    const offset = q % TIE_GROUP;
    if (offset < TIE_START) return q;
    return this.tieMembers(q - offset)[offset - TIE_START]!;
  }

  basePositionOf(index: number): number {
    const offset = index % TIE_GROUP;
    if (offset < TIE_START) return index;
    const start = index - offset;
    return start + TIE_START + this.tieMembers(start).indexOf(index);
  }

  /** Sequence position -> base position, skipping holes (a fixed point: q = p + holes <= q). */
  private basePositionAt(p: number): number {
    if (this.overlay.holes.length === 0) return p;
    let q = p;
    for (;;) {
      const next = p + this.overlay.holesUpTo(q);
      if (next === q) return q;
      q = next;
    }
  }

  caseIndexAt(p: number): number {
    const liveBase = this.gen.baseCount - this.overlay.holes.length;
    if (p < liveBase) return this.baseIndexAtPosition(this.basePositionAt(p));
    const index = this.overlay.order[p - liveBase];
    if (index === undefined) throw new RangeError(`case position ${p} out of range`);
    return index;
  }

  caseIndexedOnAt(p: number): number {
    const liveBase = this.gen.baseCount - this.overlay.holes.length;
    // Every member of a tie group shares indexed_on, so the base position is enough.
    if (p < liveBase) return this.gen.timeline.caseIndexedOnUs(this.basePositionAt(p));
    return this.overlay.revisions.get(this.overlay.order[p - liveBase]!)!.indexedOnUs;
  }

  caseIdAt(p: number): string {
    return caseIdOf(this.gen.program.key, this.caseIndexAt(p));
  }

  caseAt(p: number): CaseRecord {
    const index = this.caseIndexAt(p);
    return buildCase(this.gen, index, this.revisionOf(index));
  }

  /** First position whose indexed_on is >= us (or > us when `strict`). */
  caseBoundIndexedOn(us: number, strict: boolean): number {
    let lo = 0;
    let hi = this.caseCount();
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const value = this.caseIndexedOnAt(mid);
      if (value < us || (strict && value === us)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position strictly after (us, caseId) in (indexed_on, case_id) order: where a v2 cursor resumes. */
  caseSeekAfter(us: number, caseId: string): number {
    let p = this.caseBoundIndexedOn(us, false);
    const end = this.caseBoundIndexedOn(us, true);
    while (p < end && this.caseIdAt(p) <= caseId) p++;
    return p;
  }

  /** Every case in sequence order: a linear walk (random access through the holes would cost a search per case). */
  private forEachCase(visit: (p: number, index: number) => void): void {
    let p = 0;
    let hole = 0;
    for (let q = 0; q < this.gen.baseCount; q++) {
      if (this.overlay.holes[hole] === q) {
        hole++;
        continue;
      }
      visit(p++, this.baseIndexAtPosition(q));
    }
    for (const index of this.overlay.order) visit(p++, index);
  }

  /** Positions of every case matching `predicate`, in sequence order, cached until the next mutation. */
  scanCases(cacheKey: string, predicate: (probe: CaseProbe) => boolean): Int32Array {
    return this.memo(`case:${cacheKey}`, () => {
      const probe = new CaseProbe(this);
      const matches = new Int32Array(this.caseCount());
      let n = 0;
      this.forEachCase((p, index) => {
        if (predicate(probe.at(index))) matches[n++] = p;
      });
      return matches.slice(0, n);
    });
  }

  /** A permutation of `positions` ordered by a modification time (ties by sequence order), cached until the next mutation. */
  sortedCases(cacheKey: string, positionsOf: () => Int32Array, field: 'serverModifiedUs' | 'modifiedUs'): Int32Array {
    return this.memo(`sort:${field}:${cacheKey}`, () => {
      const positions = positionsOf();
      const keys = new Float64Array(positions.length);
      for (let k = 0; k < positions.length; k++) {
        const index = this.caseIndexAt(positions[k]!);
        keys[k] = modificationTimes(this.gen, index, this.revisionOf(index))[field];
      }
      const order = Array.from({ length: positions.length }, (_, k) => k);
      order.sort((a, b) => keys[a]! - keys[b]! || a - b);
      return Int32Array.from(order, (k) => positions[k]!);
    });
  }

  // ---- forms in received_on order ----

  private get baseFormCount(): number {
    return this.gen.baseCount * this.gen.formsPerCase;
  }

  formCount(): number {
    return this.baseFormCount + this.overlay.extraForms.length;
  }

  formAt(p: number): FormRecord {
    if (p < this.baseFormCount) return buildBaseForm(this.gen, p);
    const extra = this.overlay.extraForms[p - this.baseFormCount];
    if (!extra) throw new RangeError(`form position ${p} out of range`);
    return buildExtraForm(this.gen, extra, this.overlay.revisions.get(extra.caseIndex));
  }

  formDefAt(p: number): FormDef {
    if (p < this.baseFormCount) return baseFormDef(this.gen, p);
    return extraFormDef(this.gen, this.overlay.extraForms[p - this.baseFormCount]!);
  }

  formCaseIndexAt(p: number): number {
    return p < this.baseFormCount ? p % this.gen.baseCount : this.overlay.extraForms[p - this.baseFormCount]!.caseIndex;
  }

  formUserIndexAt(p: number): number {
    if (p >= this.baseFormCount) return this.overlay.extraForms[p - this.baseFormCount]!.userIndex;
    return formUserIndex(this.gen.program, p % this.gen.baseCount, Math.floor(p / this.gen.baseCount));
  }

  formIdAt(p: number): string {
    return p < this.baseFormCount ? formIdOf(this.gen.program.key, p) : this.overlay.extraForms[p - this.baseFormCount]!.id;
  }

  formReceivedAt(p: number): number {
    if (p < this.baseFormCount) return this.gen.timeline.formReceivedUs(p);
    return this.overlay.extraForms[p - this.baseFormCount]!.receivedUs;
  }

  formIndexedOnAt(p: number): number {
    if (p < this.baseFormCount) return this.gen.timeline.formIndexedUs(p);
    return this.overlay.extraForms[p - this.baseFormCount]!.indexedOnUs;
  }

  /** First form position whose timestamp is >= us (or > us when `strict`); the timestamps are monotonic. */
  formBound(field: 'received_on' | 'indexed_on', us: number, strict: boolean): number {
    const at = field === 'received_on' ? (p: number) => this.formReceivedAt(p) : (p: number) => this.formIndexedOnAt(p);
    let lo = 0;
    let hi = this.formCount();
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const value = at(mid);
      if (value < us || (strict && value === us)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Positions of every form matching `predicate`, in received_on order, cached until the next mutation. */
  scanForms(cacheKey: string, predicate: (probe: FormProbe) => boolean): Int32Array {
    return this.memo(`form:${cacheKey}`, () => {
      const count = this.formCount();
      const probe = new FormProbe(this);
      const matches = new Int32Array(count);
      let n = 0;
      for (let p = 0; p < count; p++) if (predicate(probe.at(p))) matches[n++] = p;
      return matches.slice(0, n);
    });
  }

  private memo(key: string, build: () => Int32Array): Int32Array {
    const hit = this.scans.get(key);
    if (hit) {
      // Re-insert: Map order doubles as least-recently-used order.
      this.scans.delete(key);
      this.scans.set(key, hit);
      return hit;
    }
    const value = build();
    this.scans.set(key, value);
    if (this.scans.size > MAX_CACHED_SCANS) this.scans.delete(this.scans.keys().next().value!);
    return value;
  }

  // ---- change over time ----

  /** Applies /_sim mutate: changed cases move to the end of indexed_on order, each with a new form. */
  mutate(change: MutationChange): MutationResult {
    const changed = applyMutation(this.gen, this.overlay, (index) => this.basePositionOf(index), change);
    this.version++;
    this.scans.clear();
    const { program } = this.gen;
    const ids = (indexes: number[]) => indexes.map((index) => caseIdOf(program.key, index));
    const all = [...changed.modified, ...changed.closed, ...changed.created];
    const first = all[0];
    const last = all[all.length - 1];
    return {
      domain: this.domain,
      modified: ids(changed.modified),
      created: ids(changed.created),
      closed: ids(changed.closed),
      formsAdded: all.length,
      totalCases: this.caseCount(),
      totalForms: this.formCount(),
      indexedOnFrom: first === undefined ? null : formatUtc(this.overlay.revisions.get(first)!.indexedOnUs),
      indexedOnTo: last === undefined ? null : formatUtc(this.overlay.revisions.get(last)!.indexedOnUs),
    };
  }
}
