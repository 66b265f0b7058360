import { describe, expect, it } from 'vitest';
import { readDescription } from './catalog';
import { isFollowUp, proposeSemanticLayer } from './propose';
import { mentions } from './retrieval';

describe('reading the dictionary and proposing from it', () => {
  it("reads a question's label and choices back from the dictionary's description", () => {
    expect(readDescription('Main source of drinking water. Case property "water_source" of case type "household". Choices: piped, borehole.')).toEqual({
      label: 'Main source of drinking water',
      choices: ['piped', 'borehole'],
    });
    expect(readDescription('Referred to facility? Choices: yes, no. Seen in submissions but not in the current application.')).toEqual({ label: 'Referred to facility?', choices: ['yes', 'no'] });
    expect(readDescription('Case property "gps" of case type "household".')).toEqual({ label: undefined, choices: [] });
    expect(readDescription('Question /data/x.')).toEqual({ label: undefined, choices: [] });
  });

  it('tells follow-up forms from registrations by the data, else by the name', () => {
    const form = { name: 'Home Visit', table: 'form_home_visit', xmlns: 'x', caseType: 'visit', present: true, questions: [], directoryColumns: [] };
    expect(isFollowUp({ ...form, createsCases: true })).toBe(false);
    expect(isFollowUp({ ...form, createsCases: false })).toBe(true);
    expect(isFollowUp({ ...form, name: 'Register Child', present: false })).toBe(false);
    expect(isFollowUp({ ...form, caseType: undefined })).toBe(false);
  });

  it('proposes no visits measure without follow-up forms, and quotes xmlns as literals', () => {
    const base = { domain: 'd', caseTypes: [], relationships: [], directory: [], locationLevels: [] };
    expect(proposeSemanticLayer({ ...base, forms: [] }).some((e) => e.key === 'visits')).toBe(false);
    const layer = proposeSemanticLayer({ ...base, forms: [{ name: 'Follow', table: 'form_follow', xmlns: "o'dd", caseType: 'c', present: true, createsCases: false, questions: [], directoryColumns: [] }] });
    expect(layer.find((e) => e.key === 'visits')?.sql).toBe("SELECT count(*) FROM forms WHERE xmlns IN ('o''dd')");
  });

  it('finds glossary terms as whole words only', () => {
    expect(mentions('How many ANC visits?', 'anc')).toBe(true);
    expect(mentions('balance of cases', 'anc')).toBe(false);
    expect(mentions('MUAC (cm) below 11', 'MUAC (cm)')).toBe(true);
  });
});
