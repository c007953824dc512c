import { describe, expect, it } from 'vitest';
import { checkFieldValue, describeCondition, evaluateCondition, formatDuration, parseDuration } from '../src/index.js';

describe('parseDuration', () => {
  it.each([
    ['45s', 45_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['3d', 259_200_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['PT60S', 60_000],
    ['pt1m', 60_000],
    ['P1DT2H', 93_600_000],
    ['1.5h', 5_400_000],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', '60', 'sixty seconds', '0s', 'P', 'PT', '5 minutes', '-5s', 'PT-1S'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
  it('formats for people', () => {
    expect(formatDuration(60_000)).toBe('60 s');
    expect(formatDuration(90_000)).toBe('90 s');
    expect(formatDuration(300_000)).toBe('5 min');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(5_400_000)).toBe('1 h 30 min');
    expect(formatDuration(250)).toBe('250 ms');
  });
});

describe('evaluateCondition', () => {
  const data = { issue: 'technical', amount: 120, vip: false };
  it.each([
    [{ field: 'issue', equals: 'technical' }, true],
    [{ field: 'issue', not_equals: 'technical' }, false],
    [{ field: 'issue', in: ['billing', 'technical'] }, true],
    [{ field: 'amount', gt: 100 }, true],
    [{ field: 'amount', lte: 100 }, false],
    [{ field: 'vip', equals: false }, true],
    [{ field: 'missing', equals: 'x' }, false],
    [{ field: 'missing', set: false }, true],
    [{ field: 'issue', set: true }, true],
    [{ field: 'issue', gt: 1 }, false],
  ])('%j -> %s', (cond, expected) => expect(evaluateCondition(cond, data)).toBe(expected));
  it('ignores inherited properties', () => {
    expect(evaluateCondition({ field: 'toString', set: true }, {})).toBe(false);
  });
  it('describes conditions', () => {
    expect(describeCondition({ field: 'issue', equals: 'technical' })).toBe('issue = technical');
    expect(describeCondition({ field: 'amount', gt: 100 })).toBe('amount > 100');
  });
});

describe('checkFieldValue', () => {
  it('accepts values of the right type and refuses others', () => {
    expect(checkFieldValue({ type: 'string', enum: ['a', 'b'] }, 'a')).toBeUndefined();
    expect(checkFieldValue({ type: 'string', enum: ['a', 'b'] }, 'c')).toMatch(/one of "a", "b"/);
    expect(checkFieldValue({ type: 'integer' }, 1.5)).toMatch(/integer/);
    expect(checkFieldValue({ type: 'number', minimum: 0 }, -1)).toMatch(/at least 0/);
    expect(checkFieldValue({ type: 'boolean' }, 'yes')).toMatch(/true or false/);
    expect(checkFieldValue({ type: 'date' }, '2026-02-30x')).toMatch(/date/);
    expect(checkFieldValue({ type: 'date' }, '2026-11-24')).toBeUndefined();
    expect(checkFieldValue({ type: 'number' }, Number.NaN)).toMatch(/number/);
  });
});
