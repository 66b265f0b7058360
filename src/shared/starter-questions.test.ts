import { describe, expect, it } from 'vitest';
import { starterQuestions } from './starter-questions';

describe('starterQuestions', () => {
  it("asks about the domain's biggest case types and forms, and for a chart of its case types", () => {
    const questions = starterQuestions([
      { name: 'cases', kind: 'table', row_count: 300 },
      { name: 'case_household', kind: 'view', row_count: 200 },
      { name: 'case_pregnancy_visit', kind: 'view', row_count: 100 },
      { name: 'case_empty', kind: 'view', row_count: 0 },
      { name: 'form_registration', kind: 'view', row_count: 250 },
    ]);
    expect(questions).toEqual([
      'How many household cases were opened each month?',
      'How many registration forms were submitted in the last 30 days, by user?',
      'Chart the number of cases of each type',
      'How many open and closed cases are there of each type?',
    ]);
  });

  it('asks about workers and the second level of the location hierarchy when the domain has them', () => {
    const column = (name: string) => ({ name, type: 'text', description: '' });
    const questions = starterQuestions([
      { name: 'case_household', kind: 'view', row_count: 200 },
      { name: 'form_registration', kind: 'view', row_count: 250 },
      { name: 'users', kind: 'table', row_count: 4 },
      { name: 'locations', kind: 'table', row_count: 9, columns: ['location_id', 'name', 'state_id', 'state_name', 'health_district_id', 'health_district_name'].map(column) },
    ]);
    expect(questions).toEqual([
      'How many household cases were opened each month?',
      'How many registration forms did each mobile worker submit last month?',
      'How many open household cases are there in each health district?',
    ]);
  });

  it('falls back to general questions, and offers none without data', () => {
    expect(starterQuestions([{ name: 'cases', kind: 'table', row_count: 3 }])).toEqual(['What data does this domain have?', 'How many cases and forms are there?']);
    expect(starterQuestions([])).toEqual([]);
  });
});
