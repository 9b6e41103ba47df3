/**
 * The Sigma specification's own examples (../shared/corpus/sigma-spec): the schema test files
 * (tests/schema/{rules,correlation,filter}) and every complete YAML example of the specification texts parse;
 * invalid variants of them fail with the right error at the right place.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SigmaError } from '../ir';
import { parseSigmaFile } from './parse-documents';

const specDir = join(process.env.MANTISSA_CORPUS ?? fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url)), 'sigma-spec');
const schemaTests = ['rules', 'correlation', 'filter'].flatMap((kind) =>
  readdirSync(join(specDir, 'tests/schema', kind))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => `tests/schema/${kind}/${f}`),
);
const read = (file: string) => readFileSync(join(specDir, file), 'utf8');

function errorsOf(text: string, file: string): SigmaError[] {
  const result = parseSigmaFile(text, file);
  if (result.ok) throw new Error(`expected errors for ${file}`);
  return [...result.errors];
}

describe('spec schema test files', () => {
  it('finds them', () => {
    expect(schemaTests.length).toBeGreaterThanOrEqual(12);
  });

  it.each(schemaTests)('%s parses', (file) => {
    const result = parseSigmaFile(read(file), file);
    expect(result.ok ? [] : result.errors).toEqual([]);
    const kind = file.split('/')[2];
    const value = result.ok ? result.value : { documents: [], filters: [] };
    const kinds = [...value.documents.map((d) => d.kind), ...value.filters.map((f) => f.kind)];
    expect(kinds).toEqual([kind === 'rules' ? 'rule' : kind]);
  });

  it.each([
    ['tests/schema/rules/rule_1.yml', 'an unknown level', (t: string) => t.replace('level: high', 'level: severe'), 'schema', 'level', 27, 8],
    ['tests/schema/rules/rule_1.yml', 'no title', (t: string) => t.replace(/^title: .*\n/, ''), 'schema', 'title is required', 1, 1],
    ['tests/schema/rules/rule_1.yml', 'an unknown identifier', (t: string) => t.replace('condition: selection', 'condition: selection and nope'), 'unknown_identifier', "'nope'", 24, 30],
    ['tests/schema/rules/rule_1.yml', 'an unknown modifier', (t: string) => t.replace('Provider_Name:', 'Provider_Name|contain:'), 'unknown_modifier', "'contain'", 23, 9],
    ['tests/schema/rules/rule_1.yml', 'an unknown status', (t: string) => t.replace('status: test', 'status: beta'), 'schema', 'status', 6, 9],
    ['tests/schema/rules/rule_ecs.yml', 'no logsource', (t: string) => t.replace(/logsource:\n.*\n.*\n/, ''), 'schema', 'logsource is required', 1, 1],
    ['tests/schema/correlation/event_count.yml', 'an unknown type', (t: string) => t.replace('event_count', 'event_counter'), 'schema', 'correlation.type', 4, 11],
    ['tests/schema/correlation/event_count.yml', 'a bad timespan', (t: string) => t.replace('timespan: 1h', 'timespan: 1 hour'), 'schema', "'1 hour' is not a time span", 9, 15],
    ['tests/schema/correlation/value_count.yml', 'no field', (t: string) => t.replace(/ +field: User\n/, ''), 'schema', 'field is required for value_count', 12, 9],
    ['tests/schema/correlation/temporal.yml', 'a misspelt group-by', (t: string) => t.replace('group-by', 'groupby'), 'schema', "unknown key 'groupby'", 8, 5],
    ['tests/schema/filter/filter_1.yml', 'no rules', (t: string) => t.replace(/ +rules:\n.*\n.*\n/, ''), 'schema', 'filter.rules', 6, 1],
    ['tests/schema/filter/filter_1.yml', 'a dangling or', (t: string) => t.replace('condition: selection', 'condition: selection or'), 'condition', 'unexpected end of condition', 12, 28],
  ])('%s with %s fails', (file, _description, mutate, code, message, line, column) => {
    const text = mutate(read(file));
    expect(text).not.toBe(read(file));
    expect(errorsOf(text, file)).toEqual([{ code, message: expect.stringContaining(message), location: { file, line, column } }]);
  });
});

/** Complete documents (a title and a detection, correlation or filter) in the specification's YAML examples. */
const specExamples = readdirSync(join(specDir, 'specification'))
  .filter((f) => f.endsWith('.md'))
  .flatMap((f) =>
    [...read(`specification/${f}`).matchAll(/```ya?ml\n([\s\S]*?)```/g)]
      .map((m) => m[1] as string)
      .filter((block) => /^title:/m.test(block) && /^(detection|correlation|filter):/m.test(block))
      .map((block, i) => ({ name: `${f} example ${i + 1}`, block })),
  );

/** The "Related rules" snippet of the correlation spec shows only `rules:`, not a whole correlation. */
const fragments = new Set(['sigma-correlation-rules-specification.md example 1']);

describe('specification examples', () => {
  it('finds the examples', () => {
    expect(specExamples.length).toBeGreaterThanOrEqual(9);
  });

  it.each(specExamples.filter((e) => !fragments.has(e.name)))('$name parses', ({ name, block }) => {
    const result = parseSigmaFile(block, name);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it.each(specExamples.filter((e) => fragments.has(e.name)))('$name is a fragment and says what is missing', ({ name, block }) => {
    expect(errorsOf(block, name).map((e) => e.message)).toEqual([expect.stringContaining('type is required'), expect.stringContaining('timespan is required')]);
  });
});
