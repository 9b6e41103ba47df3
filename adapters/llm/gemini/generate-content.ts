/**
 * The generateContent wire format shared by the Gemini API and Vertex AI
 * (https://ai.google.dev/api/generate-content, https://cloud.google.com/vertex-ai/generative-ai/docs/reference/rest/v1/projects.locations.publishers.models/generateContent):
 * `{systemInstruction, contents: [{role: "user" | "model", parts: [{text}]}], generationConfig}` with
 * `responseMimeType: "application/json"` and a `responseSchema`, so the first candidate's text is the answer's
 * JSON. A blocked prompt (`promptFeedback.blockReason`) or a candidate stopped for safety is a refusal;
 * errors are `{error: {code, message, status}}` (RESOURCE_EXHAUSTED = 429, UNAVAILABLE = 503…).
 */
import { z } from 'zod';
import { answerGeminiSchema } from '../../../core/nlq/llm/answer';
import type { LlmCall, LlmOutcome } from '../../../core/nlq/llm/provider';
import { responseFailure, thrownFailure } from '../shared/failure';

export function generateContentBody(call: LlmCall) {
  return {
    systemInstruction: { parts: [{ text: call.prompt.system }] },
    contents: call.prompt.messages.map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] })),
    generationConfig: { responseMimeType: 'application/json', responseSchema: answerGeminiSchema, maxOutputTokens: call.maxTokens, temperature: 0 },
  };
}

const generateContentResponseSchema = z.object({
  candidates: z
    .array(
      z.object({
        content: z.object({ parts: z.array(z.object({ text: z.string().optional() }).loose()).optional() }).loose().optional(),
        finishReason: z.string().optional(),
      }),
    )
    .optional(),
  promptFeedback: z.object({ blockReason: z.string().optional() }).loose().optional(),
});

export function googleErrorText(body: unknown): string | undefined {
  const error = (body as { error?: { message?: unknown; status?: unknown } })?.error;
  if (!error || typeof error.message !== 'string') return undefined;
  return typeof error.status === 'string' ? `${error.status}: ${error.message}` : error.message;
}

const refusedFinishReasons = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'LANGUAGE', 'MALFORMED_FUNCTION_CALL']);

/** Sends one generateContent request (auth headers from the caller) and reads the answer. */
export async function generateContent(fetchImpl: (url: string, init: RequestInit) => Promise<Response>, url: string, headers: Record<string, string>, call: LlmCall, what: string): Promise<LlmOutcome | { kind: 'unauthorized'; response: Response }> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(generateContentBody(call)),
      signal: call.signal,
    });
  } catch (err) {
    return thrownFailure(err, what);
  }
  if (response.status === 401) return { kind: 'unauthorized', response };
  if (!response.ok) return responseFailure(response, what, googleErrorText);
  const parsed = generateContentResponseSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) return { kind: 'refused', message: 'the generateContent response was not understood' };
  const blocked = parsed.data.promptFeedback?.blockReason;
  if (blocked) return { kind: 'refused', message: `the prompt was blocked (${blocked})` };
  const candidate = parsed.data.candidates?.[0];
  if (!candidate) return { kind: 'refused', message: 'the answer had no candidates' };
  if (candidate.finishReason && refusedFinishReasons.has(candidate.finishReason)) return { kind: 'refused', message: `the answer was stopped (${candidate.finishReason})` };
  if (candidate.finishReason === 'MAX_TOKENS') return { kind: 'refused', message: 'the answer was cut off at the token limit' };
  const text = (candidate.content?.parts ?? []).map((p) => p.text ?? '').join('');
  if (!text.trim()) return { kind: 'refused', message: 'the answer was empty' };
  return { kind: 'answer', payload: text };
}
