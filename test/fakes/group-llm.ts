/**
 * The loopback fakes of the natural-language query LLM providers (adapters/llm/*), one per wire format:
 * Anthropic Messages, OpenAI Chat Completions (also as an OpenAI-compatible server at another port), Azure
 * OpenAI, Bedrock Converse, the Gemini API, and Vertex AI with its OAuth token endpoint. Their ports join
 * `fakePorts` (and so the Worker's outbound allow-list). Workers AI has no fake: its binding is not HTTP, and
 * test/llm-providers.test.ts drives the adapter with an object implementing the binding's `run`.
 */
import type { RunningFake } from './fake-server';
import { startAnthropicFake } from './llm-anthropic';
import { startBedrockFake } from './llm-bedrock';
import { startGeminiFake } from './llm-gemini';
import { startOpenAiFake } from './llm-openai';
import { startVertexFakes } from './llm-vertex';

export async function startFakes(): Promise<{ ports: Record<string, number>; close(): Promise<void> }> {
  const vertex = await startVertexFakes();
  const fakes: Record<string, RunningFake> = {
    llmAnthropic: await startAnthropicFake(),
    llmOpenAi: await startOpenAiFake('openai'),
    llmAzureOpenAi: await startOpenAiFake('azure'),
    llmOpenAiCompatible: await startOpenAiFake('compatible'),
    llmBedrock: await startBedrockFake(),
    llmGemini: await startGeminiFake(),
    llmVertexOAuth: vertex.oauth,
    llmVertex: vertex.aiplatform,
  };
  return {
    ports: Object.fromEntries(Object.entries(fakes).map(([name, fake]) => [name, fake.port])),
    close: async () => {
      await Promise.all(Object.values(fakes).map((f) => f.close()));
    },
  };
}
