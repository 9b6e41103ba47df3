/**
 * Value modifiers (modifiers appendix): one detection item `field|mod1|mod2: values` becomes an `Expr`.
 *
 * Modifiers apply in the order written (rules spec, "Value Modifiers"), each to every value, and a value may
 * expand into alternatives (windash, base64offset, expand), which are OR-linked; `all` AND-links the values
 * themselves, never the alternatives of one value (pySigma does the same). `neq` negates the whole item.
 *
 * Order checks follow the spec and pySigma: `re` and `cidr` take the value as written, so they must come first;
 * `exists` and the comparisons stand alone; i/m/s only follow `re`; encodings only take text without wildcards;
 * `fieldref` combines with contains/startswith/endswith/cased in either order.
 */
import type { Expr, Pattern, PatternPart, Predicate, SourceLocation, TimePart } from '../ir';
import { parseCidr } from './cidr';
import type { SigmaErrorCode } from './diagnostics';
import { base64, base64Offsets, byteString, bytesOfByteString, utf16Bytes, utf16LeByteOrderMark, utf8Bytes } from './encodings';
import { andExpr, notExpr, orExpr } from './expr';
import { checkRe2Pattern, type RegexFlags } from './regex';
import { expandTextParts, hasWildcards, normalizePattern, parseSigmaString, plainText, withLeadingWildcard, withTrailingWildcard } from './sigma-string';

export const modifierNames = [
  'contains',
  'startswith',
  'endswith',
  'all',
  'base64',
  'base64offset',
  'utf16le',
  'utf16be',
  'utf16',
  'windash',
  're',
  'i',
  'm',
  's',
  'cidr',
  'exists',
  'fieldref',
  'gt',
  'gte',
  'lt',
  'lte',
  'cased',
  'expand',
  'neq',
  'minute',
  'hour',
  'day',
  'week',
  'month',
  'year',
] as const;
export type ModifierName = (typeof modifierNames)[number];

/** Other spellings of the same modifier (spec: `wide` is utf16le; pySigma: long names of the regex flags). */
const aliases: Readonly<Record<string, ModifierName>> = { wide: 'utf16le', ignorecase: 'i', multiline: 'm', dotall: 's' };

export type ModifierLookup = { readonly name: ModifierName } | { readonly code: SigmaErrorCode; readonly message: string };

export function lookupModifier(text: string): ModifierLookup {
  const name = (modifierNames as readonly string[]).includes(text) ? (text as ModifierName) : aliases[text];
  if (name) return { name };
  return { code: 'unknown_modifier', message: `unknown modifier '${text}'` };
}

/** One value as written in the rule. */
export interface RawValue {
  readonly value: string | number | boolean | null;
  /** The value's text as written (numbers keep `0x17`, `1.50`). */
  readonly source: string;
  readonly location: SourceLocation | null;
}

export interface ItemContext {
  readonly placeholders: Readonly<Record<string, readonly string[]>> | undefined;
  /** Receives what is accepted but worth telling the author (e.g. a cidr value with host bits set). */
  readonly warn?: (message: string, location: SourceLocation | null) => void;
}

export interface ItemFailure {
  readonly code: SigmaErrorCode;
  readonly message: string;
  readonly location: SourceLocation | null;
}

/** Alternatives one value may expand to; beyond this the rule is refused rather than compiled into a huge query. */
export const maxAlternatives = 4096;

type Val =
  | { readonly t: 'str'; readonly parts: readonly PatternPart[]; readonly binary: boolean; readonly raw: string }
  | { readonly t: 'num'; readonly value: number; readonly source: string }
  | { readonly t: 'bool'; readonly value: boolean }
  | { readonly t: 'null' }
  | { readonly t: 're'; readonly source: string; readonly flags: RegexFlags }
  | { readonly t: 'cidr'; readonly version: 4 | 6; readonly network: string; readonly prefix: number }
  | { readonly t: 'cmp'; readonly op: 'lt' | 'lte' | 'gt' | 'gte'; readonly value: number }
  | { readonly t: 'exists'; readonly value: boolean }
  | { readonly t: 'fieldref'; readonly field: string; readonly start: boolean; readonly end: boolean }
  | { readonly t: 'time'; readonly part: TimePart; readonly op: 'eq' | 'lt' | 'lte' | 'gt' | 'gte'; readonly value: number };

type Fail = { readonly fail: true; readonly code: SigmaErrorCode; readonly message: string };

const fail = (code: SigmaErrorCode, message: string): Fail => ({ fail: true, code, message });
const isFail = (x: unknown): x is Fail => typeof x === 'object' && x !== null && 'fail' in x;

const listModifiers: ReadonlySet<ModifierName> = new Set(['all', 'neq', 'cased']);
const positionModifiers: ReadonlySet<ModifierName> = new Set(['contains', 'startswith', 'endswith']);
const compareModifiers: ReadonlySet<ModifierName> = new Set(['gt', 'gte', 'lt', 'lte']);
const regexFlagModifiers: ReadonlySet<ModifierName> = new Set(['i', 'm', 's']);
/** Spec 2.1 time modifiers: a part of a date value, compared with a number (alone or with gt/gte/lt/lte). */
const timeModifiers: ReadonlySet<ModifierName> = new Set(['minute', 'hour', 'day', 'week', 'month', 'year']);

/** The spec's range of each time part (modifiers appendix, "Time Modifiers"); year has none. */
const timePartRanges: Readonly<Record<TimePart, readonly [number, number] | null>> = {
  minute: [0, 59],
  hour: [0, 23],
  day: [1, 31],
  week: [1, 52],
  month: [1, 12],
  year: null,
};

/**
 * Checks the combination of modifiers before any value is looked at; returns the modifiers that transform
 * values, in application order, or why the combination is invalid.
 */
function planModifiers(field: string | null, modifiers: readonly ModifierName[]): ModifierName[] | Fail {
  const chain = modifiers.filter((m) => !listModifiers.has(m));
  const has = (m: ModifierName) => modifiers.includes(m);
  const chainText = modifiers.join('|');
  const needsField = (m: string) => fail('invalid_modifier_use', `'${m}' needs a field: it cannot be used on keywords`);

  if (has('re')) {
    if (chain[0] !== 're') return fail('invalid_modifier_use', `'${chainText}': re must be the first value modifier (it takes the value as written)`);
    // After re: its flags, expand (placeholders inside the regex) and the position modifiers, which change
    // nothing on a regex that already matches anywhere in the value (pySigma adds `.*`, the same thing).
    const after = chain.slice(1).filter((m) => !regexFlagModifiers.has(m) && m !== 'expand' && !positionModifiers.has(m));
    if (after.length > 0) return fail('invalid_modifier_use', `'${chainText}': '${after[0]}' cannot follow re`);
    if (has('cased')) return fail('invalid_modifier_use', `'${chainText}': cased has no meaning for re (regexes are case-sensitive unless |i is given)`);
    return chain;
  }
  const flag = chain.find((m) => regexFlagModifiers.has(m));
  if (flag) return fail('invalid_modifier_use', `'${chainText}': the regex flag '${flag}' only applies after re`);
  if (has('cidr')) {
    if (field === null) return needsField('cidr');
    if (chain.length !== 1) return fail('invalid_modifier_use', `'${chainText}': cidr cannot be combined with other value modifiers`);
    if (has('cased')) return fail('invalid_modifier_use', `'${chainText}': cased has no meaning for cidr`);
    return chain;
  }
  if (has('exists')) {
    if (field === null) return needsField('exists');
    if (modifiers.length !== 1) return fail('invalid_modifier_use', `'${chainText}': exists cannot be combined with other modifiers`);
    return chain;
  }
  const times = chain.filter((m) => timeModifiers.has(m));
  if (times.length > 0) {
    if (field === null) return needsField(times[0]!);
    if (times.length > 1) return fail('invalid_modifier_use', `'${chainText}': one time modifier per item (${times.join(', ')} given)`);
    const compares = chain.filter((m) => compareModifiers.has(m));
    const other = chain.find((m) => !timeModifiers.has(m) && !compareModifiers.has(m));
    if (other || compares.length > 1 || has('cased')) {
      return fail('invalid_modifier_use', `'${chainText}': ${times[0]} only combines with one of gt, gte, lt, lte (and all, neq), not '${other ?? (has('cased') ? 'cased' : compares[1])}'`);
    }
    return [times[0]!, ...compares];
  }
  const compare = chain.find((m) => compareModifiers.has(m));
  if (compare) {
    if (field === null) return needsField(compare);
    if (chain.length !== 1 || has('cased')) return fail('invalid_modifier_use', `'${chainText}': ${compare} cannot be combined with other value modifiers`);
    return chain;
  }
  if (has('fieldref')) {
    if (field === null) return needsField('fieldref');
    const other = chain.find((m) => m !== 'fieldref' && !positionModifiers.has(m));
    if (other) return fail('invalid_modifier_use', `'${chainText}': fieldref only combines with contains, startswith, endswith and cased, not '${other}'`);
    return ['fieldref', ...chain.filter((m) => m !== 'fieldref')];
  }
  return chain;
}

function initialVal(raw: RawValue, regex: boolean): Val {
  if (raw.value === null) return { t: 'null' };
  if (typeof raw.value === 'boolean') return { t: 'bool', value: raw.value };
  if (typeof raw.value === 'number') return { t: 'num', value: raw.value, source: raw.source };
  // A regex is taken as written: its backslashes and stars are regex syntax, not Sigma escapes.
  return { t: 'str', parts: regex ? [{ kind: 'text', text: raw.value }] : parseSigmaString(raw.value), binary: false, raw: raw.value };
}

function describeValue(val: Val): string {
  switch (val.t) {
    case 'str':
      return 'a string';
    case 'num':
      return 'a number';
    case 'bool':
      return 'a boolean';
    case 'null':
      return 'null';
    case 're':
      return 'a regex';
    case 'cidr':
      return 'a network';
    case 'cmp':
      return 'a comparison';
    case 'exists':
      return 'an exists test';
    case 'fieldref':
      return 'a field reference';
    case 'time':
      return 'a time part';
  }
}

/** Strings as they are; numbers as their text (`Port|startswith: 80`). */
function asText(val: Val): Extract<Val, { t: 'str' }> | null {
  if (val.t === 'str') return val;
  if (val.t === 'num') return { t: 'str', parts: [{ kind: 'text', text: val.source }], binary: false, raw: val.source };
  return null;
}

function textOnly(modifier: ModifierName, val: Val): Extract<Val, { t: 'str' }> | Fail {
  const text = asText(val);
  if (!text) return fail('invalid_modifier_use', `${modifier} applies to strings, not ${describeValue(val)}`);
  return text;
}

function bytesOf(val: Extract<Val, { t: 'str' }>): number[] {
  const text = plainText(val.parts);
  return val.binary ? bytesOfByteString(text) : utf8Bytes(text);
}

function applyModifier(modifier: ModifierName, val: Val, context: ItemContext, warn: (message: string) => void): Val[] | Fail {
  switch (modifier) {
    case 'contains':
    case 'startswith':
    case 'endswith': {
      if (val.t === 're') {
        warn(`${modifier} after re changes nothing: a regex already matches anywhere in the value (use ^ or $ to anchor it)`);
        return [val];
      }
      if (val.t === 'fieldref') {
        return [{ ...val, start: val.start || modifier !== 'endswith', end: val.end || modifier !== 'startswith' }];
      }
      const text = textOnly(modifier, val);
      if (isFail(text)) return text;
      let parts = text.parts;
      if (modifier !== 'startswith') parts = withLeadingWildcard(parts);
      if (modifier !== 'endswith') parts = withTrailingWildcard(parts);
      return [{ ...text, parts }];
    }
    case 'base64':
    case 'base64offset': {
      const text = textOnly(modifier, val);
      if (isFail(text)) return text;
      if (hasWildcards(text.parts)) return fail('invalid_modifier_use', `${modifier} cannot encode wildcards: escape * and ? (\\* \\?) or apply contains after ${modifier}`);
      const encoded = modifier === 'base64' ? [base64(bytesOf(text))] : base64Offsets(bytesOf(text));
      if (encoded.some((e) => e === '')) {
        return fail('invalid_value', `'${text.raw}' is too short for ${modifier}: an encoded form would be empty and match everything`);
      }
      return encoded.map((e) => ({ t: 'str', parts: [{ kind: 'text', text: e }], binary: false, raw: e }));
    }
    case 'utf16le':
    case 'utf16be':
    case 'utf16': {
      const text = textOnly(modifier, val);
      if (isFail(text)) return text;
      if (text.binary) return fail('invalid_modifier_use', `${modifier} cannot apply to a value that is already encoded`);
      const endian = modifier === 'utf16be' ? 'be' : 'le';
      const parts: PatternPart[] = text.parts.map((p) => (p.kind === 'text' ? { kind: 'text', text: byteString(utf16Bytes(p.text, endian)) } : p));
      if (modifier === 'utf16') parts.unshift({ kind: 'text', text: byteString(utf16LeByteOrderMark) });
      return [{ t: 'str', parts, binary: true, raw: text.raw }];
    }
    case 'windash': {
      const text = textOnly(modifier, val);
      if (isFail(text)) return text;
      const expanded = expandTextParts(text.parts, windashAlternatives, maxAlternatives);
      if (expanded === 'too_many') return fail('invalid_value', `windash expands this value into more than ${maxAlternatives} alternatives`);
      return expanded.map((parts) => ({ ...text, parts }));
    }
    case 'expand': {
      if (val.t === 're') return expandRegexPlaceholders(val, context);
      const text = textOnly(modifier, val);
      if (isFail(text)) return text;
      return expandPlaceholders(text, context);
    }
    case 're': {
      const text = textOnly(modifier, val);
      if (isFail(text)) return text;
      return [{ t: 're', source: text.raw, flags: { i: false, m: false, s: false } }];
    }
    case 'i':
    case 'm':
    case 's': {
      if (val.t !== 're') return fail('invalid_modifier_use', `the regex flag '${modifier}' only applies after re`);
      return [{ ...val, flags: { ...val.flags, [modifier]: true } }];
    }
    case 'cidr': {
      if (val.t !== 'str') return fail('invalid_modifier_use', `cidr applies to a network written as a string (e.g. 10.0.0.0/8), not ${describeValue(val)}`);
      if (hasWildcards(val.parts)) return fail('invalid_value', `cidr value '${val.raw}' cannot contain wildcards`);
      const network = parseCidr(plainText(val.parts));
      if ('error' in network) return fail('invalid_value', `invalid cidr value: ${network.error}`);
      if (network.hostBitsSet) warn(`cidr value '${val.raw}' has host bits set; it means the network ${network.network}/${network.prefix}`);
      return [{ t: 'cidr', version: network.version, network: network.network, prefix: network.prefix }];
    }
    case 'exists': {
      const flag = val.t === 'bool' ? val.value : val.t === 'str' ? yaml11Boolean(val.raw) : null;
      if (flag === null) return fail('invalid_value', `exists needs true or false, not ${describeValue(val)}`);
      return [{ t: 'exists', value: flag }];
    }
    case 'fieldref': {
      if (val.t !== 'str') return fail('invalid_modifier_use', `fieldref needs a field name (a string), not ${describeValue(val)}`);
      if (hasWildcards(val.parts) || val.raw.trim() === '') return fail('invalid_value', `fieldref needs a field name without wildcards, not '${val.raw}'`);
      return [{ t: 'fieldref', field: val.raw, start: false, end: false }];
    }
    case 'minute':
    case 'hour':
    case 'day':
    case 'week':
    case 'month':
    case 'year': {
      if (val.t !== 'num') return fail('invalid_modifier_use', `${modifier} compares a part of a date with a number, not ${describeValue(val)}`);
      if (!Number.isInteger(val.value)) return fail('invalid_value', `${modifier} compares with a whole number, not ${val.source}`);
      const range = timePartRanges[modifier];
      if (range && (val.value < range[0] || val.value > range[1])) warn(`${modifier} is a number from ${range[0]} to ${range[1]}; ${val.value} is outside that range`);
      return [{ t: 'time', part: modifier, op: 'eq', value: val.value }];
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (val.t === 'time') return [{ ...val, op: modifier }];
      if (val.t !== 'num') return fail('invalid_modifier_use', `${modifier} compares with a number, not ${describeValue(val)}`);
      return [{ t: 'cmp', op: modifier, value: val.value }];
    }
    case 'all':
    case 'neq':
    case 'cased':
      return [val];
  }
}

/** `exists: yes` is true in YAML 1.1 (and in pySigma); our YAML 1.2 reads it as text, so accept it here. */
function yaml11Boolean(text: string): boolean | null {
  const lower = text.toLowerCase();
  if (['true', 'yes', 'on', 'y'].includes(lower)) return true;
  if (['false', 'no', 'off', 'n'].includes(lower)) return false;
  return null;
}

const dashes = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;
const dashSet: ReadonlySet<string> = new Set(dashes);
const wordChar = /[\p{L}\p{N}_]/u;

/**
 * windash: a dash or slash that starts a word (after a non-word character or at the start, and before a word
 * character: pySigma's `\B[-/]\b`) becomes each of `-`, `/`, en dash, em dash and horizontal bar (spec 2.1).
 */
function windashAlternatives(text: string): PatternPart[][] {
  const chars = [...text];
  const positions: number[] = [];
  chars.forEach((c, i) => {
    const previous = chars[i - 1];
    const next = chars[i + 1];
    if (dashSet.has(c) && (previous === undefined || !wordChar.test(previous)) && next !== undefined && wordChar.test(next)) positions.push(i);
  });
  let variants: string[][] = [chars];
  for (const position of positions) {
    variants = variants.flatMap((v) => dashes.map((d) => v.map((c, i) => (i === position ? d : c))));
  }
  return variants.map((v) => [{ kind: 'text', text: v.join('') }]);
}

const placeholderName = /^%(\w+)%/u;

/**
 * expand: `%name%` becomes each value supplied for the placeholder (values are Sigma strings: wildcards work);
 * `\%` is a plain percent sign (rules spec, "Placeholders").
 */
function expandPlaceholders(val: Extract<Val, { t: 'str' }>, context: ItemContext): Val[] | Fail {
  let failure: Fail | null = null;
  const expandText = (text: string): PatternPart[][] => {
    let alternatives: PatternPart[][] = [[]];
    let literal = '';
    const pushLiteral = () => {
      if (literal === '') return;
      const piece = literal;
      alternatives = alternatives.map((a) => [...a, { kind: 'text', text: piece }]);
      literal = '';
    };
    for (let i = 0; i < text.length; ) {
      if (text.startsWith('\\%', i)) {
        literal += '%';
        i += 2;
        continue;
      }
      const match = text[i] === '%' ? placeholderName.exec(text.slice(i)) : null;
      if (!match) {
        literal += text[i];
        i += 1;
        continue;
      }
      const name = match[1] as string;
      const values = context.placeholders?.[name];
      if (values === undefined) {
        failure ??= fail(
          'invalid_value',
          context.placeholders === undefined
            ? `placeholder %${name}% needs a value but no placeholder values were supplied`
            : `unknown placeholder %${name}%: no values were supplied for it`,
        );
        return [[]];
      }
      pushLiteral();
      const options = values.map(parseSigmaString);
      if (alternatives.length * options.length > maxAlternatives) {
        failure ??= fail('invalid_value', `expanding %${name}% gives more than ${maxAlternatives} alternatives`);
        return [[]];
      }
      alternatives = alternatives.flatMap((a) => options.map((o) => [...a, ...o]));
      i += match[0].length;
    }
    pushLiteral();
    return alternatives;
  };
  const expanded = expandTextParts(val.parts, expandText, maxAlternatives);
  if (failure) return failure;
  if (expanded === 'too_many') return fail('invalid_value', `expand gives more than ${maxAlternatives} alternatives`);
  return expanded.map((parts) => ({ ...val, parts }));
}

/** RE2 text matching a Sigma string: literal text escaped, `*` any characters, `?` one (newlines included). */
function regexOfSigmaString(value: string): string {
  return parseSigmaString(value)
    .map((p) => (p.kind === 'text' ? p.text.replace(/[\\.+*?()|[\]{}^$]/g, (c) => `\\${c}`) : p.kind === 'anyChars' ? '(?s:.*)' : '(?s:.)'))
    .join('');
}

/**
 * expand on a regex (`re|expand`): each `%name%` in the regex becomes each value supplied for the placeholder.
 * The values are Sigma strings, as for plain expand, so they go in as the regex that matches them (literal text
 * escaped, wildcards as `.*` / `.`): a value never turns into regex syntax. An escaped `\%` stays as written.
 */
function expandRegexPlaceholders(val: Extract<Val, { t: 're' }>, context: ItemContext): Val[] | Fail {
  let sources: string[] = [''];
  const source = val.source;
  for (let i = 0; i < source.length; ) {
    if (source[i] === '\\' && i + 1 < source.length) {
      sources = sources.map((s) => s + source.slice(i, i + 2));
      i += 2;
      continue;
    }
    const match = source[i] === '%' ? placeholderName.exec(source.slice(i)) : null;
    if (!match) {
      const ch = source[i]!;
      sources = sources.map((s) => s + ch);
      i += 1;
      continue;
    }
    const name = match[1] as string;
    const values = context.placeholders?.[name];
    if (values === undefined) {
      return fail(
        'invalid_value',
        context.placeholders === undefined
          ? `placeholder %${name}% needs a value but no placeholder values were supplied`
          : `unknown placeholder %${name}%: no values were supplied for it`,
      );
    }
    if (sources.length * values.length > maxAlternatives) return fail('invalid_value', `expanding %${name}% gives more than ${maxAlternatives} alternatives`);
    const options = values.map(regexOfSigmaString);
    sources = sources.flatMap((s) => options.map((o) => s + o));
    i += match[0].length;
  }
  return sources.map((s) => ({ ...val, source: s }));
}

/**
 * Rules spec, "Keywords search": a keyword is searched for across the entire event, so it may stand anywhere
 * in the event's text (as every pySigma backend with full-text search reads it: Databricks' contains,
 * ClickHouse's hasToken; SigmaHQ's keyword rules rely on it).
 */
function anywhere(parts: readonly PatternPart[]): Pattern {
  return normalizePattern([{ kind: 'anyChars' }, ...parts, { kind: 'anyChars' }]);
}

function toPredicate(val: Val, cased: boolean, keyword: boolean): Predicate | Fail {
  switch (val.t) {
    case 'str':
      return { kind: 'pattern', pattern: keyword ? anywhere(val.parts) : normalizePattern(val.parts), cased };
    case 'num':
      // A keyword is searched in the event's text, so a number keyword is the number as written.
      if (keyword) return { kind: 'pattern', pattern: anywhere([{ kind: 'text', text: val.source }]), cased };
      if (cased) return fail('invalid_modifier_use', 'cased applies to strings, not to a number');
      return { kind: 'number', value: val.value };
    case 'bool':
      if (keyword) return fail('invalid_value', 'a boolean cannot be a keyword: keywords are searched as text');
      if (cased) return fail('invalid_modifier_use', 'cased applies to strings, not to a boolean');
      return { kind: 'boolean', value: val.value };
    case 'null':
      if (keyword) return fail('invalid_value', 'null cannot be a keyword: it must be bound to a field');
      if (cased) return fail('invalid_modifier_use', 'cased applies to strings, not to null');
      return { kind: 'null' };
    case 're': {
      const problem = checkRe2Pattern(val.source, val.flags);
      if (problem) return fail('invalid_regex', problem);
      return { kind: 'regex', source: val.source, flags: val.flags };
    }
    case 'cidr':
      return { kind: 'cidr', version: val.version, network: val.network, prefix: val.prefix };
    case 'cmp':
      return { kind: 'compare', op: val.op, value: val.value };
    case 'exists':
      return { kind: 'exists', value: val.value };
    case 'time':
      if (keyword) return fail('invalid_modifier_use', `${val.part} needs a field: it cannot be used on keywords`);
      return { kind: 'timePart', part: val.part, op: val.op, value: val.value };
    case 'fieldref': {
      const position = val.start && val.end ? 'contains' : val.start ? 'startswith' : val.end ? 'endswith' : 'equals';
      return { kind: 'fieldref', field: val.field, position, cased };
    }
  }
}

/**
 * Builds the Expr of one detection item. `field` is null for keywords. `location` (the key's) goes on every
 * `match` so later stages can point at the field; keywords carry their value's location.
 */
export function buildDetectionItem(
  field: string | null,
  modifiers: readonly ModifierName[],
  values: readonly RawValue[],
  context: ItemContext,
  location: SourceLocation | null,
): Expr | ItemFailure {
  const plan = planModifiers(field, modifiers);
  if (isFail(plan)) return { code: plan.code, message: plan.message, location };
  const cased = modifiers.includes('cased');
  const keyword = field === null;
  const perValue: Expr[] = [];
  for (const raw of values) {
    let alternatives: Val[] = [initialVal(raw, plan[0] === 're')];
    for (const modifier of plan) {
      const next: Val[] = [];
      for (const alternative of alternatives) {
        const result = applyModifier(modifier, alternative, context, (message) => context.warn?.(message, raw.location ?? location));
        if (isFail(result)) return { code: result.code, message: result.message, location: raw.location ?? location };
        next.push(...result);
      }
      if (next.length > maxAlternatives) return { code: 'invalid_value', message: `'${modifiers.join('|')}' expands this value into more than ${maxAlternatives} alternatives`, location: raw.location ?? location };
      alternatives = next;
    }
    const leaves: Expr[] = [];
    for (const alternative of alternatives) {
      const predicate = toPredicate(alternative, cased, keyword);
      if (isFail(predicate)) return { code: predicate.code, message: predicate.message, location: raw.location ?? location };
      const leafLocation = keyword ? (raw.location ?? location) : location;
      const leaf: Expr = field === null ? { kind: 'keyword', predicate } : { kind: 'match', field, predicate };
      leaves.push(leafLocation ? { ...leaf, location: leafLocation } : leaf);
    }
    perValue.push(orExpr(leaves));
  }
  const item = modifiers.includes('all') ? andExpr(perValue) : orExpr(perValue);
  return modifiers.includes('neq') ? notExpr(item) : item;
}
