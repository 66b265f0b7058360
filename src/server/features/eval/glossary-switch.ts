import type { KnowledgeSwitch } from './runner';

/**
 * The knowledge layer as the eval switches it: the golden questions' glossary
 * terms, entered as an admin would on the Knowledge page, for one pass, and
 * gone for the other. The semantic layer Scout proposes from the app stays in
 * both passes (it is not something people add), so the difference measured is
 * what the glossary people write adds.
 */
export const GLOSSARY_SWITCH: KnowledgeSwitch = {
  available: true,
  description: 'knowledge: the glossary of the questions\u2019 terms entered for one pass (the proposed semantic layer stays in both)',
  async enable(ctx) {
    const membership = await ctx.scout.services.tenants.get(ctx.userId, ctx.membershipId);
    const existing = new Set((await ctx.scout.services.knowledge.list(membership, ['glossary'])).map((e) => e.name.toLowerCase()));
    for (const term of ctx.glossary) {
      if (!existing.has(term.term.toLowerCase())) await ctx.scout.services.knowledge.createGlossary(membership, { term: term.term, definition: term.definition });
    }
  },
  async disable(ctx) {
    const membership = await ctx.scout.services.tenants.get(ctx.userId, ctx.membershipId);
    const terms = new Set(ctx.glossary.map((t) => t.term.toLowerCase()));
    for (const entry of await ctx.scout.services.knowledge.list(membership, ['glossary'])) {
      if (terms.has(entry.name.toLowerCase())) await ctx.scout.services.knowledge.remove(membership, entry.id);
    }
  },
};
