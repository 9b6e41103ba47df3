import { describe, expect, it } from 'vitest';
import { pattern } from '../pipeline/ir-builders';
import { cidrRange, foldCase, ipv6InRange, needsStrictFold, numberFromText, parseIpv4, parseIpv6, textOf } from './semantics';
import { compileWildcard } from './wildcard';

describe('case folding', () => {
  it('lower-cases Unicode but keeps the two characters whose lower case is ASCII', () => {
    expect(foldCase('ÉTÉ Straße')).toBe('été straße');
    expect(foldCase('\u212Ailo')).toBe('\u212Ailo');
    expect(foldCase('\u0130stanbul')).toBe('\u0130stanbul');
    expect(foldCase('ABC\u212A')).toBe('abc\u212A');
  });

  it('knows when toLowerCase could differ from foldCase', () => {
    expect(needsStrictFold('mimikatz', false)).toBe(true);
    expect(needsStrictFold('powershell', false)).toBe(false);
    expect(needsStrictFold('powershell', true)).toBe(true);
  });
});

describe('values', () => {
  it.each([
    ['4625', 4625],
    [' 4625\n', 4625],
    ['-0.5', -0.5],
    ['1e3', 1000],
    ['4.625E+3', 4625],
    ['04625', undefined],
    ['+5', undefined],
    ['.5', undefined],
    ['5.', undefined],
    ['0x10', undefined],
    ['1e', undefined],
    ['', undefined],
    ['NaN', undefined],
    ['1 2', undefined],
  ] as const)('reads %j as the number %s', (text, value) => {
    expect(numberFromText(text)).toBe(value);
  });

  it('gives text to strings, numbers and booleans only', () => {
    expect([textOf('a'), textOf(4625), textOf(1.5), textOf(true), textOf(null), textOf({}), textOf([1]), textOf(undefined)]).toEqual([
      'a',
      '4625',
      '1.5',
      'true',
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('IP addresses', () => {
  it.each([
    ['10.0.0.1', 167772161],
    ['0.0.0.0', 0],
    ['255.255.255.255', 4294967295],
    ['010.0.0.1', undefined],
    ['10.0.0', undefined],
    ['10.0.0.1.5', undefined],
    ['10.0.0.256', undefined],
    ['10.0.0.1 ', undefined],
    ['1000.0.0.1', undefined],
  ] as const)('parses IPv4 %j strictly', (text, value) => {
    expect(parseIpv4(text)).toBe(value);
  });

  it.each([
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['2001:DB8::1', [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]],
    ['1:2:3:4:5:6:7:8', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['::ffff:10.0.0.1', [0, 0, 0, 0, 0, 0xffff, 0x0a00, 1]],
    ['1:2:3:4:5:6:1.2.3.4', [1, 2, 3, 4, 5, 6, 0x0102, 0x0304]],
    ['1::2::3', undefined],
    ['1:2:3:4:5:6:7:8:9', undefined],
    ['12345::', undefined],
    ['fe80::1%eth0', undefined],
    ['10.0.0.1', undefined],
    [':1::', undefined],
  ] as const)('parses IPv6 %j', (text, groups) => {
    expect(parseIpv6(text)).toEqual(groups);
  });

  it('builds CIDR ranges and tests IPv6 membership at the prefix edge', () => {
    expect(cidrRange(4, '192.168.1.7', 23)).toEqual({ version: 4, first: 3232235520, last: 3232236031 });
    expect(cidrRange(4, '10.0.0.0', 33)).toBeUndefined();
    const v6 = cidrRange(6, '2001:db8:8000::', 33)!;
    expect(v6.version === 6 && ipv6InRange(parseIpv6('2001:db8:ffff::1')!, v6)).toBe(true);
    expect(v6.version === 6 && ipv6InRange(parseIpv6('2001:db8:7fff::1')!, v6)).toBe(false);
  });
});

describe('wildcards', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
    ['a*', 'a', true],
    ['*c', 'abc', true],
    ['*b*', 'abc', true],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['ab*ba', 'aba', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a?c', 'a😀c', true],
    ['*?', '', false],
    ['*a?b*', 'xxaXbyy', true],
    ['a*?*c', 'ac', false],
    ['\\*x', '*x', true],
    ['\\*x', 'ax', false],
    ['', '', true],
    ['*', '', true],
  ] as const)('%j matches %j: %s', (p, text, expected) => {
    expect(compileWildcard(pattern(p))(text)).toBe(expected);
  });
});
