import { describe, expect, it } from 'vitest';
import { normalizePattern, parseSigmaString } from './sigma-string';

const text = (t: string) => ({ kind: 'text', text: t }) as const;
const any = { kind: 'anyChars' } as const;
const one = { kind: 'oneChar' } as const;

describe('parseSigmaString (rules spec, Escape Character)', () => {
  it.each([
    ['plain', [text('plain')]],
    ['C:\\Windows\\x.exe', [text('C:\\Windows\\x.exe')]],
    ['C:\\\\Windows', [text('C:\\Windows')]],
    ['*\\cmd.exe', [any, text('\\cmd.exe')]],
    ['a?c', [text('a'), one, text('c')]],
    ['\\*', [text('*')]],
    ['\\?', [text('?')]],
    ['\\\\*', [text('\\'), any]],
    ['\\\\\\*', [text('\\*')]],
    ['\\\\\\\\', [text('\\\\')]],
    ['\\\\\\', [text('\\\\')]],
    ['end\\', [text('end\\')]],
    ['', []],
  ])('%j', (raw, parts) => {
    expect(parseSigmaString(raw)).toEqual(parts);
  });
});

describe('normalizePattern', () => {
  it('merges texts, drops empty ones and collapses runs of *', () => {
    expect(normalizePattern([text('a'), text(''), text('b'), any, any, one, any])).toEqual([text('ab'), any, one, any]);
  });
});
