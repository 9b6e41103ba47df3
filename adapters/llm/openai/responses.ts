/**
 * One Responses API call (https://platform.openai.com/docs/api-reference/responses/create) through the official
 * `openai` SDK: `instructions` (the system prompt), `input` (the conversation), `text.format` a strict
 * `json_schema`, and `store: false` so analysts' questions and our schema are not kept by the provider. The
 * answer is the SDK's `output_text`; a `refusal` content item, or `status: "incomplete"` (token limit, content
 * filter), is a refusal.
 */
import type OpenAI from 'openai';
import { answerJsonSchema, answerToolName } from '../../../core/nlq/llm/answer';
import type { LlmCall, LlmOutcome } from '../../../core/nlq/llm/provider';
import { thrownFailure } from '../shared/failure';

export async function completeResponse(client: OpenAI, model: string, { prompt, signal, maxTokens }: LlmCall): Promise<LlmOutcome> {
  let response: OpenAI.Responses.Response;
  try {
    response = await client.responses.create(
      {
        model,
        instructions: prompt.system,
        input: prompt.messages.map((m) => ({ role: m.role, content: m.content })),
        text: { format: { type: 'json_schema', name: answerToolName, strict: true, schema: answerJsonSchema as unknown as Record<string, unknown> } },
        max_output_tokens: maxTokens,
        temperature: 0,
        store: false,
      },
      { signal },
    );
  } catch (err) {
    return thrownFailure(err, `OpenAI response (${model})`);
  }
  if (response.status === 'incomplete') return { kind: 'refused', message: `the answer is incomplete (${response.incomplete_details?.reason ?? 'no reason given'})` };
  for (const item of response.output ?? []) {
    if (item.type !== 'message') continue;
    const refusal = item.content.find((c) => c.type === 'refusal');
    if (refusal && refusal.type === 'refusal') return { kind: 'refused', message: `the model refused: ${refusal.refusal}` };
  }
  const text = response.output_text ?? '';
  if (!text.trim()) return { kind: 'refused', message: 'the answer was empty' };
  return { kind: 'answer', payload: text };
}
