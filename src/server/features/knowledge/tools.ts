import type { KnowledgeMatches } from '../../../shared/knowledge';
import { searchInput } from '../../../shared/knowledge';
import { define, readOnly, type ToolOutcome } from '../tools/definitions';
import { ensureProposed } from './service';
import { searchKnowledge } from './retrieval';

/** The knowledge tools of the agent and MCP clients. */

export const searchKnowledgeTool = define({
  name: 'search_knowledge',
  description:
    "Searches this domain's knowledge for a question: glossary terms (what words and abbreviations mean here), measures (how to count \"open cases\", \"visits\", \"active workers\", with their SQL), verified queries (questions a person confirmed the SQL of) and reviewed corrections. Call it before writing SQL for a question in the user's words; reuse or adapt a verified query's SQL when one matches.",
  annotations: readOnly('Search the domain knowledge'),
  input: searchInput.describe('text: the user\'s question or the terms to look up'),
  async run(ctx, args, deps): Promise<ToolOutcome<KnowledgeMatches>> {
    // After a sync, the first use proposes the domain's semantic layer (measures come from it).
    await ensureProposed(deps.db, deps.warehousePool, ctx.membership);
    const found = await searchKnowledge(deps.db, ctx.membership.tenant_id, args.text);
    // Stated answers were computed over the whole domain: a member CommCare restricts gets the SQL (it runs in their scope), not the figures.
    const matches: KnowledgeMatches = ctx.scope
      ? {
          ...found,
          verified_queries: found.verified_queries.map((q) => ({ ...q, answer_summary: '' })),
          learnings: found.learnings.map((l) => ({ ...l, correct_answer: null })),
        }
      : found;
    const rows = matches.glossary.length + matches.measures.length + matches.verified_queries.length + matches.learnings.length;
    return { data: matches, rows };
  },
});

export const KNOWLEDGE_TOOLS = [searchKnowledgeTool] as const;
