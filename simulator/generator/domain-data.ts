import { BLOCK_SIZE, caseCore, caseTypeOf, ownerOf } from './blocks';
import { type CaseType, type FormDef } from './case-types';
import {
  buildCase,
  caseIdOf,
  deviceLagUs,
  formUserIndex,
  generateChanges,
  modificationTimes,
  type CaseRecord,
  type CaseRevision,
  type Generation,
} from './cases';
import { baseFormDef, buildBaseForm, buildExtraForm, extraFormDef, type ExtraForm, type FormRecord } from './forms';
import { SALT, buildProgram } from './program';
import { TIE_GROUP, TIE_START, Timeline } from './timeline';
import { Rng, hash32, uuid } from '../prng';
import { MICROS_PER_MS, formatUtc } from '../time';

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

export interface MutationChange {
  modify?: number;
  create?: number;
  close?: number;
}

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

  constructor(private readonly data: DomainData) {}

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

const MAX_CACHED_SCANS = 24;

export class DomainData {
  readonly gen: Generation;
  readonly domain: string;
  /** Bumped by every mutation; cached scans are keyed on nothing else. */
  version = 0;

  private readonly revisions = new Map<number, CaseRevision>();
  /** Base positions (sorted) whose case was re-indexed into the overlay. */
  private readonly holes: number[] = [];
  /** Overlay cases in indexed_on order. */
  private readonly overlay: number[] = [];
  private readonly extraForms: ExtraForm[] = [];
  private createdCount = 0;
  private mutations = 0;
  private lastStampUs: number;
  private readonly scans = new Map<string, Int32Array>();
  private tieCache: { group: number; members: number[] } | undefined;

  constructor(seed: number, domain: string, caseCount: number, formsPerCase: number) {
    const program = buildProgram(seed, domain, caseCount);
    this.domain = domain;
    this.gen = { program, timeline: new Timeline(program.key, caseCount, formsPerCase), baseCount: caseCount, formsPerCase };
    this.lastStampUs = this.gen.timeline.endUs;
  }

  revisionOf(index: number): CaseRevision | undefined {
    return this.revisions.size === 0 ? undefined : this.revisions.get(index);
  }

  // ---- cases in sequence order ----

  caseCount(): number {
    return this.gen.baseCount - this.holes.length + this.overlay.length;
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

  private basePositionOf(index: number): number {
    const offset = index % TIE_GROUP;
    if (offset < TIE_START) return index;
    const start = index - offset;
    return start + TIE_START + this.tieMembers(start).indexOf(index);
  }

  /** Number of holes <= q. */
  private holesUpTo(q: number): number {
    let lo = 0;
    let hi = this.holes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.holes[mid]! <= q) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Sequence position -> base position, skipping holes (a fixed point: q = p + holes <= q). */
  private basePositionAt(p: number): number {
    if (this.holes.length === 0) return p;
    let q = p;
    for (;;) {
      const next = p + this.holesUpTo(q);
      if (next === q) return q;
      q = next;
    }
  }

  caseIndexAt(p: number): number {
    const liveBase = this.gen.baseCount - this.holes.length;
    if (p < liveBase) return this.baseIndexAtPosition(this.basePositionAt(p));
    const index = this.overlay[p - liveBase];
    if (index === undefined) throw new RangeError(`case position ${p} out of range`);
    return index;
  }

  caseIndexedOnAt(p: number): number {
    const liveBase = this.gen.baseCount - this.holes.length;
    // Every member of a tie group shares indexed_on, so the base position is enough.
    if (p < liveBase) return this.gen.timeline.caseIndexedOnUs(this.basePositionAt(p));
    return this.revisions.get(this.overlay[p - liveBase]!)!.indexedOnUs;
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
      if (this.holes[hole] === q) {
        hole++;
        continue;
      }
      visit(p++, this.baseIndexAtPosition(q));
    }
    for (const index of this.overlay) visit(p++, index);
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
  sortedCases(cacheKey: string, positions: Int32Array, field: 'serverModifiedUs' | 'modifiedUs'): Int32Array {
    return this.memo(`sort:${field}:${cacheKey}`, () => {
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
    return this.baseFormCount + this.extraForms.length;
  }

  formAt(p: number): FormRecord {
    if (p < this.baseFormCount) return buildBaseForm(this.gen, p);
    const extra = this.extraForms[p - this.baseFormCount];
    if (!extra) throw new RangeError(`form position ${p} out of range`);
    return buildExtraForm(this.gen, extra, this.revisions.get(extra.caseIndex));
  }

  formDefAt(p: number): FormDef {
    if (p < this.baseFormCount) return baseFormDef(this.gen, p);
    return extraFormDef(this.gen, this.extraForms[p - this.baseFormCount]!);
  }

  formReceivedAt(p: number): number {
    if (p < this.baseFormCount) return this.gen.timeline.formReceivedUs(p);
    return this.extraForms[p - this.baseFormCount]!.receivedUs;
  }

  formIndexedOnAt(p: number): number {
    if (p < this.baseFormCount) return this.gen.timeline.formIndexedUs(p);
    return this.extraForms[p - this.baseFormCount]!.indexedOnUs;
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

  scanForms(cacheKey: string, predicate: (def: FormDef, p: number) => boolean): Int32Array {
    return this.memo(`form:${cacheKey}`, () => {
      const count = this.formCount();
      const matches = new Int32Array(count);
      let n = 0;
      for (let p = 0; p < count; p++) if (predicate(this.formDefAt(p), p)) matches[n++] = p;
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

  /** A fresh server timestamp: real time, but always after everything already stamped. */
  private stamp(): number {
    this.lastStampUs = Math.max(Date.now() * MICROS_PER_MS, this.lastStampUs + MICROS_PER_MS);
    return this.lastStampUs;
  }

  private isOpen(index: number): boolean {
    const revision = this.revisions.get(index);
    return revision ? !revision.closed : !caseCore(this.gen.program.key, index).closedInBase;
  }

  /** Draws up to `count` distinct open cases not in `taken`. */
  private pickOpen(rng: Rng, count: number, taken: Set<number>): number[] {
    const total = this.gen.baseCount + this.createdCount;
    const picked: number[] = [];
    for (let attempts = 0; picked.length < count && attempts < count * 30 + 200; attempts++) {
      const index = rng.int(total);
      if (taken.has(index) || !this.isOpen(index)) continue;
      taken.add(index);
      picked.push(index);
    }
    return picked;
  }

  /** Moves a case to the end of indexed_on order with a new revision, and records the form that did it. */
  private reindex(index: number, kind: ExtraForm['kind'], changes: Record<string, string>, revision: CaseRevision): void {
    const { program, timeline } = this.gen;
    const previous = this.revisions.get(index);
    if (previous) {
      this.overlay.splice(this.overlay.indexOf(index), 1);
    } else if (index < this.gen.baseCount) {
      const q = this.basePositionOf(index);
      this.holes.splice(this.holesUpTo(q), 0, q);
    }
    const number = this.extraForms.length;
    const form: ExtraForm = {
      id: uuid(program.key, SALT.extraForm, number),
      number,
      caseIndex: index,
      kind,
      receivedUs: revision.serverModifiedUs,
      indexedOnUs: revision.serverModifiedUs + timeline.formIndexDelayUs,
      userIndex: revision.userIndex,
      changes,
    };
    this.extraForms.push(form);
    revision.formIds = [...(previous?.formIds ?? []), form.id];
    this.revisions.set(index, revision);
    this.overlay.push(index);
  }

  mutate(change: MutationChange): MutationResult {
    const { program, baseCount } = this.gen;
    const rng = new Rng(hash32(program.key, SALT.mutation, this.mutations++));
    const taken = new Set<number>();
    const result: MutationResult = {
      domain: this.domain,
      modified: [],
      created: [],
      closed: [],
      formsAdded: 0,
      totalCases: 0,
      totalForms: 0,
      indexedOnFrom: null,
      indexedOnTo: null,
    };
    const changed: number[] = [];

    const openedUsOf = (index: number) => this.revisions.get(index)?.createdUs ?? this.gen.timeline.formReceivedUs(index);
    const nextRevision = (index: number, closed: boolean): CaseRevision => {
      const previous = this.revisions.get(index);
      const serverModifiedUs = this.stamp();
      return {
        revision: (previous?.revision ?? 0) + 1,
        createdUs: previous?.createdUs ?? null,
        serverModifiedUs,
        // HQ indexes a change shortly after processing it.
        indexedOnUs: serverModifiedUs + 500,
        closed,
        closedUs: closed ? serverModifiedUs - deviceLagUs(program.key, -serverModifiedUs) : null,
        userIndex: formUserIndex(program, index, 1000 + (previous?.revision ?? 0)),
        properties: { ...(previous?.properties ?? {}) },
        formIds: [],
      };
    };

    for (const index of this.pickOpen(rng, change.modify ?? 0, taken)) {
      const revision = nextRevision(index, false);
      const changes = generateChanges(this.gen, index, revision.revision, openedUsOf(index));
      Object.assign(revision.properties, changes);
      this.reindex(index, 'update', changes, revision);
      result.modified.push(caseIdOf(program.key, index));
      changed.push(index);
    }
    for (const index of this.pickOpen(rng, change.close ?? 0, taken)) {
      const revision = nextRevision(index, true);
      const changes: Record<string, string> = caseTypeOf(program.key, index) === 'pregnancy' ? { pregnancy_outcome: 'live_birth' } : {};
      Object.assign(revision.properties, changes);
      this.reindex(index, 'close', changes, revision);
      result.closed.push(caseIdOf(program.key, index));
      changed.push(index);
    }
    for (let n = 0; n < (change.create ?? 0); n++) {
      const index = baseCount + this.createdCount++;
      const createdUs = this.stamp();
      const revision: CaseRevision = {
        revision: 0,
        createdUs,
        serverModifiedUs: createdUs,
        indexedOnUs: createdUs + 500,
        closed: false,
        closedUs: null,
        userIndex: formUserIndex(program, index, 0),
        properties: {},
        formIds: [],
      };
      const properties = buildCase(this.gen, index, revision).properties;
      this.reindex(index, 'create', properties, revision);
      result.created.push(caseIdOf(program.key, index));
      changed.push(index);
    }

    this.version++;
    this.scans.clear();
    result.formsAdded = changed.length;
    result.totalCases = this.caseCount();
    result.totalForms = this.formCount();
    const first = changed[0];
    const last = changed[changed.length - 1];
    if (first !== undefined && last !== undefined) {
      result.indexedOnFrom = formatUtc(this.revisions.get(first)!.indexedOnUs);
      result.indexedOnTo = formatUtc(this.revisions.get(last)!.indexedOnUs);
    }
    return result;
  }
}
