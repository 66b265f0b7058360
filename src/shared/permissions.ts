/**
 * The actions a member may or may not take in a domain. The rules live on
 * the server (src/server/platform/permissions.ts); the web only reads the
 * answers it is sent as `can` flags, so it never keeps a copy of the rules.
 */
export const DOMAIN_ACTIONS = [
  'warehouse.view',
  'warehouse.sync',
  'warehouse.cancel',
  'warehouse.teardown',
  'data.query',
  'audit.read',
  'chat.use',
  'connectors.view',
  'connectors.manage',
  'members.view',
  'members.manage',
  'questions.create',
  'questions.manage',
  'dashboards.share',
  'warehouse.schedule',
  'publications.draft',
  'publications.approve',
  'publications.auto',
  'knowledge.suggest',
  'knowledge.manage',
] as const;
export type DomainAction = (typeof DOMAIN_ACTIONS)[number];

/** `{ "connectors.manage": true, … }` on every response that describes a domain the caller belongs to. */
export type Can = Record<DomainAction, boolean>;
