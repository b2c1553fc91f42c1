import { describe, expect, test } from 'vitest';
import { computeCreditedMoney, moneyToNumber, sumMoney } from '../../../app/reports/attribution/money';

describe('sumMoney', () => {
  test.each([
    { amounts: [], sum: '0' },
    { amounts: ['0.1', '0.2'], sum: '0.3' }, // 0.30000000000000004 in floats
    { amounts: ['1', '2.50', null], sum: '3.50' },
    { amounts: ['-1.5', '1.25'], sum: '-0.25' },
    { amounts: ['0.244', '3.195'], sum: '3.439' },
    { amounts: ['99999999999999999.99', '0.01'], sum: '100000000000000000.00' },
    { amounts: [null, null], sum: '0' },
  ])('$amounts → $sum', ({ amounts, sum }) => {
    expect(sumMoney(amounts)).toBe(sum);
  });

  test.each(['1e3', '.5', '1,5', '', ' 1'])('rejects %j', (amount) => {
    expect(() => sumMoney([amount])).toThrow(RangeError);
  });
});

describe('credit-weighted money', () => {
  test.each([
    { amount: '90.00', credits: [1 / 3, 2 / 3], expected: [30, 60] },
    { amount: null, credits: [0.5, 0.5], expected: [0, 0] },
    { amount: '10', credits: [0, 1], expected: [0, 10] },
  ])('$amount × $credits ≈ $expected', ({ amount, credits, expected }) => {
    computeCreditedMoney(amount, credits).forEach((part, i) => expect(part).toBeCloseTo(expected[i] ?? NaN, 12));
  });

  test('moneyToNumber reads decimals and null, and rejects what Number() would let through', () => {
    expect(moneyToNumber('1250.50')).toBe(1250.5);
    expect(moneyToNumber(null)).toBe(0);
    expect(() => moneyToNumber('')).toThrow(RangeError);
  });
});
