import type { LanguageModelV3CallOptions, LanguageModelV3Prompt, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { simulateReadableStream } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import type { ToolEnvelope } from '../../../shared/tools';
import type { ChatModel } from './model';

export type MockTurn = { text: string } | { toolCalls: Array<{ name: string; args: unknown }> } | { stream: LanguageModelV3StreamPart[]; delayMs: number };

/** The tool results the model has been given since the last user message, as envelopes. */
export function toolResultsIn(prompt: LanguageModelV3Prompt): Array<{ name: string; envelope: ToolEnvelope }> {
  const lastUser = prompt.map((m) => m.role).lastIndexOf('user');
  const results: Array<{ name: string; envelope: ToolEnvelope }> = [];
  for (const message of prompt.slice(lastUser + 1)) {
    if (message.role !== 'tool') continue;
    for (const part of message.content) {
      if (part.type === 'tool-result' && part.output.type === 'json') results.push({ name: part.toolName, envelope: part.output.value as unknown as ToolEnvelope });
    }
  }
  return results;
}

const usage = { inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 5, text: 5, reasoning: undefined } };

export function textParts(text: string): LanguageModelV3StreamPart[] {
  return [
    { type: 'text-start', id: 't' },
    ...(text.match(/\S+\s*/g) ?? []).map((delta): LanguageModelV3StreamPart => ({ type: 'text-delta', id: 't', delta })),
    { type: 'text-end', id: 't' },
    { type: 'finish', finishReason: { unified: 'stop', raw: undefined }, usage },
  ];
}

function toolCallParts(calls: Array<{ name: string; args: unknown }>, step: number): LanguageModelV3StreamPart[] {
  return [
    ...calls.map((call, i): LanguageModelV3StreamPart => ({ type: 'tool-call', toolCallId: `call-${step}-${i}`, toolName: call.name, input: JSON.stringify(call.args) })),
    { type: 'finish', finishReason: { unified: 'tool-calls', raw: undefined }, usage },
  ];
}

/**
 * The AI SDK's mock model driven by a script: each model call sees the prompt
 * (with real tool results from earlier steps) and says what to do next.
 */
export class ScriptedMockModel {
  script: (options: LanguageModelV3CallOptions, step: number) => MockTurn = () => ({ text: 'Hello.' });
  readonly model: MockLanguageModelV3 = new MockLanguageModelV3({
    provider: 'mock',
    modelId: 'scripted',
    doStream: async (options) => {
      const step = this.model.doStreamCalls.length;
      const turn = this.script(options, step - 1);
      const chunks: LanguageModelV3StreamPart[] = 'stream' in turn ? turn.stream : 'text' in turn ? textParts(turn.text) : toolCallParts(turn.toolCalls, step);
      return { stream: simulateReadableStream({ chunks, chunkDelayInMs: 'delayMs' in turn ? turn.delayMs : null, initialDelayInMs: null }) };
    },
  });

  get chatModel(): ChatModel {
    return { model: this.model, label: 'mock:scripted' };
  }

  get calls(): LanguageModelV3CallOptions[] {
    return this.model.doStreamCalls;
  }
}

export interface UIChunk {
  type: string;
  [key: string]: unknown;
}

/** The UI message stream's chunks (server-sent events), in order. */
export async function readUIChunks(response: Response): Promise<UIChunk[]> {
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => JSON.parse(line.slice(6)) as UIChunk);
}

export const streamedText = (chunks: UIChunk[]) => chunks.filter((c) => c.type === 'text-delta').map((c) => String(c.delta)).join('');
