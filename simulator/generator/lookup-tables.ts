import { DANGER_SIGNS, VACCINES } from './names';

/**
 * A domain's lookup tables (HQ's fixtures): the immunisation schedule, with
 * a translated `name` field (one value per `lang` property, as HQ stores
 * multilingual fields), and the danger signs with their referral action.
 */

export interface FieldValue {
  value: string;
  properties: Record<string, string>;
}

export interface LookupItem {
  id: string;
  tableId: string;
  /** Row order from the upload, 1-based. */
  sortKey: number;
  fields: Record<string, FieldValue[]>;
}

export interface LookupTable {
  id: string;
  tag: string;
  fields: { name: string; properties: string[] }[];
  items: LookupItem[];
}

const plain = (value: string): FieldValue[] => [{ value, properties: {} }];

export function buildLookupTables(idOf: (n: number) => string): LookupTable[] {
  const vaccinesId = idOf(0);
  const signsId = idOf(1);
  return [
    {
      id: vaccinesId,
      tag: 'vaccines',
      fields: [
        { name: 'code', properties: [] },
        { name: 'name', properties: ['lang'] },
        { name: 'age_weeks', properties: [] },
      ],
      items: VACCINES.map((v, i) => ({
        id: idOf(100 + i),
        tableId: vaccinesId,
        sortKey: i + 1,
        fields: {
          code: plain(v.code),
          name: [
            { value: v.name, properties: { lang: 'en' } },
            { value: v.nameFr, properties: { lang: 'fra' } },
          ],
          age_weeks: plain(v.ageWeeks),
        },
      })),
    },
    {
      id: signsId,
      tag: 'danger_signs',
      fields: [
        { name: 'code', properties: [] },
        { name: 'label', properties: [] },
        { name: 'action', properties: [] },
      ],
      items: DANGER_SIGNS.map((d, i) => ({
        id: idOf(200 + i),
        tableId: signsId,
        sortKey: i + 1,
        fields: { code: plain(d.code), label: plain(d.label), action: plain(d.action) },
      })),
    },
  ];
}
