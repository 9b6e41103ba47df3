/**
 * The structured answer every LLM provider is asked for — `{sql, explanation, assumptions, timeRange}` — as a zod
 * schema (the boundary check), a JSON Schema (for providers' tool use / structured-output modes) and a parser
 * for providers that only return text.
 *
 * Invariants:
 * - a provider's answer becomes a Translation only after `llmAnswerSchema` accepts it; anything else is a
 *   malformed answer (an analyst-facing refusal, not a provider failure);
 * - an empty `sql` is the model saying it cannot answer: its `explanation` is the reason.
 */
import { z } from 'zod';

const isoInstant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 instant');

export const llmAnswerSchema = z.object({
  sql: z.string(),
  explanation: z.string(),
  assumptions: z.array(z.string()).default([]),
  timeRange: z.object({ from: isoInstant, to: isoInstant }).nullable().optional(),
});
export type LlmAnswer = z.infer<typeof llmAnswerSchema>;

/** The name of the tool (Anthropic, Bedrock) or response format (OpenAI) the answer is returned through. */
export const answerToolName = 'answer_with_sql';
export const answerToolDescription = 'Return the single SQL query that answers the analyst question, with a plain-English explanation and every assumption made.';

/**
 * JSON Schema of the answer, in the strict subset OpenAI's structured outputs accept (every property required,
 * no additional properties; "no time range" is null). Anthropic, Bedrock and Workers AI take it as is.
 */
export const answerJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sql', 'explanation', 'assumptions', 'timeRange'],
  properties: {
    sql: { type: 'string', description: 'One SELECT statement (CTEs allowed) in the requested dialect, or "" when the question cannot be answered from the schema.' },
    explanation: { type: 'string', description: 'What the query answers, in one or two plain-English sentences; when sql is "", why the question cannot be answered.' },
    assumptions: { type: 'array', items: { type: 'string' }, description: 'Every assumption made, e.g. "this week = since Monday 00:00 UTC".' },
    timeRange: {
      anyOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['from', 'to'],
          properties: { from: { type: 'string', description: 'ISO 8601 UTC instant, inclusive' }, to: { type: 'string', description: 'ISO 8601 UTC instant, exclusive' } },
        },
        { type: 'null' },
      ],
      description: 'The event_time range the query covers, or null.',
    },
  },
} as const;

/**
 * The same schema in the OpenAPI 3.0 subset of Gemini's `responseSchema` (upper-case types, `nullable` instead
 * of a null branch, `propertyOrdering` so the model writes the SQL first).
 */
export const answerGeminiSchema = {
  type: 'OBJECT',
  required: ['sql', 'explanation', 'assumptions', 'timeRange'],
  propertyOrdering: ['sql', 'explanation', 'assumptions', 'timeRange'],
  properties: {
    sql: { type: 'STRING', description: answerJsonSchema.properties.sql.description },
    explanation: { type: 'STRING', description: answerJsonSchema.properties.explanation.description },
    assumptions: { type: 'ARRAY', items: { type: 'STRING' }, description: answerJsonSchema.properties.assumptions.description },
    timeRange: {
      type: 'OBJECT',
      nullable: true,
      required: ['from', 'to'],
      properties: { from: { type: 'STRING' }, to: { type: 'STRING' } },
      description: answerJsonSchema.properties.timeRange.description,
    },
  },
} as const;

export type AnswerParse = { ok: true; answer: LlmAnswer } | { ok: false; message: string };

/**
 * Checks a provider's answer: an object (tool input, JSON mode) or text holding one JSON object, possibly in a
 * Markdown code fence or after a sentence (models that ignore "only JSON"). Never evaluates anything.
 */
export function parseLlmAnswer(payload: unknown): AnswerParse {
  let value = payload;
  if (typeof payload === 'string') {
    const json = extractJsonObject(payload);
    if (json === null) return { ok: false, message: `the answer is not a JSON object: "${preview(payload)}"` };
    try {
      value = JSON.parse(json) as unknown;
    } catch (err) {
      return { ok: false, message: `the answer is not valid JSON (${err instanceof Error ? err.message : String(err)}): "${preview(payload)}"` };
    }
  }
  const parsed = llmAnswerSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`).join('; ');
    return { ok: false, message: `the answer does not have the expected shape {sql, explanation, assumptions, timeRange}: ${issues}` };
  }
  return { ok: true, answer: parsed.data };
}

/** The text of the first balanced top-level `{…}` (strings and escapes respected), or null. */
export function extractJsonObject(text: string): string | null {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const source = fenced ? fenced[1]! : text;
  const start = source.indexOf('{');
  if (start < 0) return null;
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return source.slice(start, i + 1);
  }
  return null;
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
}
