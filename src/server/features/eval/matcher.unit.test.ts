import { describe, expect, it } from 'vitest';
import { agrees, matchAnswer, normalizeLabel, statedNumbers, type Expected, type Label } from './matcher';

const text = (t: string, rows: unknown[][] | null = null) => ({ text: t, rows });
const num = (value: number, percent = false): Expected => ({ kind: 'number', value, percent });

describe('numbers', () => {
  it('reads numbers with thousands separators, decimals and percent signs, ignoring dates and times', () => {
    expect(statedNumbers('On 2023-03-01 at 14:05 there were 1,234 forms, 12.5% of 9870 (or 40 percent).').map((n) => [n.value, n.decimals, n.percent])).toEqual([
      [1234, 0, false],
      [12.5, 1, true],
      [9870, 0, false],
      [40, 0, true],
    ]);
  });

  it('takes an integer answer exactly, in words around it or bold', () => {
    expect(matchAnswer(num(120), text('There are 120 cases.'))).toMatchObject({ correct: true, source: 'text' });
    expect(matchAnswer(num(1234), text('You have **1,234 cases**.'))).toMatchObject({ correct: true });
    expect(matchAnswer(num(120), text('There are 120.0 cases.'))).toMatchObject({ correct: true });
    expect(matchAnswer(num(120), text('There are 121 cases.'))).toMatchObject({ correct: false, source: 'text', found: '121' });
    expect(matchAnswer(num(120), text('About 119.6 cases.'))).toMatchObject({ correct: false });
  });

  it('prefers the bold numbers when the text bolds its answer', () => {
    expect(matchAnswer(num(120), text('Of 4 types and 120 cases, **96** are open.'))).toMatchObject({ correct: false, found: '96' });
    expect(matchAnswer(num(96), text('Of 4 types and 120 cases, **96** are open.'))).toMatchObject({ correct: true });
  });

  it('accepts a non-integer rounded to the precision stated, but not rounded away', () => {
    expect(agrees({ value: 3.7, decimals: 1, percent: false }, 3.704)).toBe(true);
    expect(agrees({ value: 3.70, decimals: 2, percent: false }, 3.704)).toBe(true);
    expect(agrees({ value: 3.71, decimals: 2, percent: false }, 3.704)).toBe(false);
    expect(agrees({ value: 4, decimals: 0, percent: false }, 3.704)).toBe(false);
    expect(agrees({ value: 3.704, decimals: 3, percent: false }, 3.7040000001)).toBe(true);
  });

  it('matches a fraction stated as a percentage, a fraction, or whole percents', () => {
    const share = num(0.16932907, true);
    expect(matchAnswer(share, text('The referral rate is 16.9%.'))).toMatchObject({ correct: true });
    expect(matchAnswer(share, text('The referral rate is 17%.'))).toMatchObject({ correct: true });
    expect(matchAnswer(share, text('The referral rate is 16.93 percent.'))).toMatchObject({ correct: true });
    expect(matchAnswer(share, text('The rate is 0.17.'))).toMatchObject({ correct: true });
    expect(matchAnswer(share, text('The referral rate is 18%.'))).toMatchObject({ correct: false });
    expect(matchAnswer(num(0.5, true), text('Half: 50%'))).toMatchObject({ correct: true });
  });

  it('falls back to a one-row result when the text states no number', () => {
    expect(matchAnswer(num(42), text('See the table.', [[42]]))).toMatchObject({ correct: true, source: 'rows' });
    expect(matchAnswer(num(42), text('See the table.', [['total', '42']]))).toMatchObject({ correct: true, source: 'rows' });
    expect(matchAnswer(num(42), text('See the table.', [[41]]))).toMatchObject({ correct: false, source: 'rows' });
    expect(matchAnswer(num(42), text('I cannot tell.', [[1], [2]]))).toMatchObject({ correct: false, source: 'none' });
    // The text wins over the rows: a wrong summary of a right table is wrong.
    expect(matchAnswer(num(42), text('There are 40.', [[42]]))).toMatchObject({ correct: false, source: 'text' });
  });
});

describe('sets', () => {
  const universe: Label[] = [['fever'], ['bleeding'], ['convulsions'], ['fast_breathing', 'fast breathing'], ['none']];
  const expected: Expected = { kind: 'set', values: [['fever'], ['bleeding'], ['fast_breathing', 'fast breathing']], universe };

  it('is order-, case- and underscore-insensitive', () => {
    expect(normalizeLabel('  Fast_Breathing. ')).toBe('fast breathing');
    expect(matchAnswer(expected, text('Fast breathing, FEVER and bleeding were seen.'))).toMatchObject({ correct: true, source: 'text' });
    expect(matchAnswer(expected, text('fast_breathing, fever, bleeding'))).toMatchObject({ correct: true });
  });

  it('is wrong with a missing or an extra option', () => {
    expect(matchAnswer(expected, text('Fever and bleeding.'))).toMatchObject({ correct: false });
    expect(matchAnswer(expected, text('Fever, bleeding, convulsions and fast breathing.'))).toMatchObject({ correct: false });
  });

  it('reads the rows when the text names no option', () => {
    expect(matchAnswer(expected, text('These are the signs:', [['fever', 3], ['bleeding', 1], ['fast_breathing', 2]]))).toMatchObject({ correct: true, source: 'rows' });
  });

  it('takes the first named as the answer to a "which one" question, and aliases count', () => {
    const workers: Label[] = [['amina.otieno', 'Amina Otieno'], ['john.kamau', 'John Kamau']];
    const top: Expected = { kind: 'set', values: [workers[0]!], universe: workers };
    expect(matchAnswer(top, text('Amina Otieno submitted the most (540), ahead of John Kamau (485).'))).toMatchObject({ correct: true });
    expect(matchAnswer(top, text('John Kamau submitted the most, then Amina Otieno.'))).toMatchObject({ correct: false, found: '{john.kamau}' });
    expect(matchAnswer(top, text('Ahead of John Kamau, **amina.otieno** leads.'))).toMatchObject({ correct: true });
  });

  it('does not read a short label inside a longer one', () => {
    const places: Label[] = [['Kisumu'], ['Kisumu Ndogo']];
    expect(matchAnswer({ kind: 'set', values: [['Kisumu Ndogo']], universe: places }, text('Kisumu Ndogo has the most.'))).toMatchObject({ correct: true });
  });
});

describe('ordered lists', () => {
  const universe: Label[] = [['Dunga'], ['Ahero'], ['Kondele'], ['Lolwe']];
  const expected: Expected = { kind: 'list', tiers: [[['Dunga']], [['Ahero'], ['Kondele']]], universe };

  it('follows the order of first mention, ties in any order', () => {
    expect(matchAnswer(expected, text('1. Dunga (14) 2. Ahero (13) 3. Kondele (13)'))).toMatchObject({ correct: true });
    expect(matchAnswer(expected, text('Dunga, then Kondele and Ahero tied.'))).toMatchObject({ correct: true });
    expect(matchAnswer(expected, text('Ahero, Dunga, Kondele'))).toMatchObject({ correct: false });
    expect(matchAnswer(expected, text('Dunga, Ahero, Lolwe'))).toMatchObject({ correct: false });
  });

  it('reads the rows in order when the text names too few', () => {
    expect(matchAnswer(expected, text('The top three:', [['Dunga', 14], ['Kondele', 13], ['Ahero', 13], ['Lolwe', 9]]))).toMatchObject({ correct: true, source: 'rows' });
    expect(matchAnswer(expected, text('The top three:', [['Ahero', 13], ['Dunga', 14], ['Kondele', 13]]))).toMatchObject({ correct: false });
  });
});

describe('groups', () => {
  const expected: Expected = {
    kind: 'groups',
    groups: [
      { label: ['household'], value: 125 },
      { label: ['person'], value: 463 },
      { label: ['2023-01', 'January 2023'], value: 85 },
    ],
  };

  it('takes each label with the number after it', () => {
    expect(matchAnswer(expected, text('- household: 125\n- person: 463\n- January 2023: 85'))).toMatchObject({ correct: true, source: 'text' });
    expect(matchAnswer(expected, text('| household | 125 |\n| person | 463 |\n| 2023-01 | 85 |'))).toMatchObject({ correct: true });
  });

  it('is confirmed by the rows when the text only summarises', () => {
    expect(matchAnswer(expected, text('Counts per type are in the table.', [['household', 125], ['person', '463'], ['2023-01', 85]]))).toMatchObject({ correct: true, source: 'rows' });
    expect(matchAnswer(expected, text('Most are person cases (463).', [['household', 125], ['person', 463], ['2023-01', 85]]))).toMatchObject({ correct: true, source: 'text+rows' });
  });

  it('is wrong when a count is missing, wrong, or the text contradicts the table', () => {
    expect(matchAnswer(expected, text('x', [['household', 125], ['person', 463]]))).toMatchObject({ correct: false });
    expect(matchAnswer(expected, text('x', [['household', 125], ['person', 460], ['2023-01', 85]]))).toMatchObject({ correct: false });
    expect(matchAnswer(expected, text('There are 200 household cases... household: 200', [['household', 125], ['person', 463], ['2023-01', 85]]))).toMatchObject({ correct: false });
  });
});
