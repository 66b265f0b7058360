import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import type { ChatModelStatus } from '../../../shared/chat';
import type { ChatModelConfig } from '../../config';

export interface ChatModel {
  model: LanguageModel;
  /** `provider:model`, for the UI and logs (never a key). */
  label: string;
}

/** The language model SCOUT_MODEL names, built once at start-up. */
export function createChatModel(config: ChatModelConfig): ChatModel {
  const label = `${config.provider}:${config.modelId}`;
  switch (config.provider) {
    case 'anthropic':
      return { label, model: createAnthropic({ apiKey: config.apiKey, ...(config.baseUrl ? { baseURL: config.baseUrl } : {}) })(config.modelId) };
    case 'openai':
      return { label, model: createOpenAI({ apiKey: config.apiKey, ...(config.baseUrl ? { baseURL: config.baseUrl } : {}) })(config.modelId) };
    case 'openai-compatible':
      return {
        label,
        model: createOpenAICompatible({ name: 'scout-model', baseURL: config.baseUrl ?? '', includeUsage: true, ...(config.apiKey ? { apiKey: config.apiKey } : {}) }).chatModel(config.modelId),
      };
  }
}

export const NO_MODEL_HELP =
  'No language model is configured, so the chat agent cannot answer yet. Set SCOUT_MODEL (anthropic:<model>, openai:<model> or openai-compatible:<model>) and its key (ANTHROPIC_API_KEY, OPENAI_API_KEY, or SCOUT_MODEL_API_KEY with SCOUT_MODEL_BASE_URL for Ollama, vLLM or LM Studio), then restart Scout. The SQL console on the Data page works without one.';

export function modelStatus(model: ChatModel | undefined): ChatModelStatus {
  return model ? { configured: true, model: model.label, help: null } : { configured: false, model: null, help: NO_MODEL_HELP };
}
