import { ErrorCode, type GetPromptResult, type Prompt } from '@modelcontextprotocol/sdk/types.js';
import { starterQuestions } from '../../../shared/starter-questions';
import { trimBoth } from '../../../shared/text';
import type { WarehouseTable } from '../../../shared/warehouse';
import type { TenantContext } from '../tools/context';
import type { ToolService } from '../tools/service';
import { RpcError, rpcErrorOf } from './rpc-error';

/**
 * The domain's starter questions (the ones the chat offers on an empty
 * thread) as MCP prompts, for a client's prompt menu. None takes an
 * argument: each is already written for this domain's own case types and forms.
 */

interface Starter {
  name: string;
  question: string;
}

export async function listPrompts(ctx: TenantContext, tools: ToolService): Promise<Prompt[]> {
  return (await starters(ctx, tools)).map(({ name, question }) => ({ name, title: question, description: `A starter question about ${ctx.membership.domain}'s data, built from its largest case types and forms.` }));
}

export async function getPrompt(ctx: TenantContext, tools: ToolService, name: string): Promise<GetPromptResult> {
  const starter = (await starters(ctx, tools)).find((s) => s.name === name);
  // The list changes with the data (a sync can bring a new biggest case type): a stale name is a bad argument.
  if (!starter) throw new RpcError(ErrorCode.InvalidParams, `There is no prompt named '${name.slice(0, 100)}' for this domain; call prompts/list for its current starter questions.`, 'NOT_FOUND');
  return {
    description: starter.question,
    messages: [{ role: 'user', content: { type: 'text', text: starter.question } }],
  };
}

/** Built from get_metadata (the tables with their columns): none before the domain's first sync. */
async function starters(ctx: TenantContext, tools: ToolService): Promise<Starter[]> {
  const metadata = await tools.call(ctx, 'get_metadata', {});
  if (!metadata.success) {
    if (metadata.error.code === 'SCHEMA_NOT_READY') return [];
    throw rpcErrorOf(metadata.error);
  }
  const { tables } = metadata.data as { tables: WarehouseTable[] };
  const taken = new Set<string>();
  return starterQuestions(tables).map((question) => {
    const base = promptName(question);
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.add(name);
    return { name, question };
  });
}

/**
 * A name that follows the question rather than its position, so prompts/get
 * finds the same question the client listed even when the list has changed
 * around it: "How many household cases…?" → "how-many-household-cases…".
 */
export function promptName(question: string): string {
  return trimBoth(question.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 80), '-') || 'starter-question';
}
