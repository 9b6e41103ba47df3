import { describe, expect, it } from 'vitest';
import { base64, base64Offsets, utf16Bytes, utf8Bytes } from './encodings';

describe('encodings', () => {
  it.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foobar', 'Zm9vYmFy'],
  ])('base64(%j) is %j (RFC 4648 vectors)', (input, expected) => {
    expect(base64(utf8Bytes(input))).toBe(expected);
  });

  it('encodes UTF-8 including astral characters', () => {
    expect(utf8Bytes('é€😀')).toEqual([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
  });

  it('encodes UTF-16 in both byte orders, surrogate pairs included', () => {
    expect(utf16Bytes('c😀', 'le')).toEqual([0x63, 0x00, 0x3d, 0xd8, 0x00, 0xde]);
    expect(utf16Bytes('c😀', 'be')).toEqual([0x00, 0x63, 0xd8, 0x3d, 0xde, 0x00]);
  });

  it.each([
    ['IEX (New-Object', ['SUVYIChOZXctT2JqZWN0', 'lFWCAoTmV3LU9iamVjd', 'JRVggKE5ldy1PYmplY3']],
    ['abc', ['YWJj', 'FiY', 'hYm']],
    ['ab', ['YW', 'Fi', 'hY']],
  ])('base64Offsets(%j) gives the three offset forms (values computed with pySigma’s formula)', (input, expected) => {
    expect(base64Offsets(utf8Bytes(input))).toEqual(expected);
  });
});
