import {
  ALLOWED_FUNCTIONS,
  ALLOWED_NODES,
  ALLOWED_OPERATORS,
  ALLOWED_SQL_VALUE_FUNCTIONS,
  ALLOWED_TABLESAMPLE_METHODS,
  ALLOWED_TYPES,
  CATALOG_SCHEMA,
  REJECTED_NODE_REASONS,
  SYSTEM_COLUMNS,
} from './allow-list';
import { QueryRejected } from './errors';

/**
 * Walks a raw parse tree (libpg-query's JSON) generically: every array, every
 * node, every field. A node is an object with one PascalCase key ({"FuncCall":
 * {...}}); its type must be in ALLOWED_NODES, so a node type this walker has
 * never heard of is rejected rather than skipped. Some fields hold a struct
 * without that wrapper (SelectStmt.larg, TypeCast.typeName, FuncCall.over):
 * those are recognised by field name, checked like the node they are, and
 * walked the same way; an unwrapped struct under an unknown field is rejected.
 */

export interface Analysis {
  /** Tables and views of the tenant's schema the query names (CTE names excluded). */
  relations: string[];
}

type Body = Record<string, unknown>;

const MAX_DEPTH = 1000;

/** Unwrapped structs, by the field that holds them: the node type they are, or null for plain values. */
const STRUCT_FIELDS: ReadonlyMap<string, string | null> = new Map(Object.entries({
  larg: 'SelectStmt',
  rarg: 'SelectStmt',
  withClause: 'WithClause',
  intoClause: 'IntoClause',
  into: 'IntoClause',
  over: 'WindowDef',
  typeName: 'TypeName',
  alias: 'Alias',
  join_using_alias: 'Alias',
  collClause: 'CollateClause',
  identitySequence: 'RangeVar',
  search_clause: 'CTESearchClause',
  cycle_clause: 'CTECycleClause',
  context_item: 'JsonValueExpr',
  pathspec: 'JsonTablePathSpec',
  output: 'JsonOutput',
  returning: 'JsonReturning',
  format: 'JsonFormat',
  on_empty: 'JsonBehavior',
  on_error: 'JsonBehavior',
  constructor: 'JsonAggConstructor',
  value: 'JsonValueExpr',
  expr: 'JsonValueExpr',
  // JsonArrayAgg.arg is a JsonValueExpr, JsonObjectAgg.arg a JsonKeyValue: both are walked.
  arg: null,
  // A_Const's value: {"ival": {"ival": 1}}, {"sval": {"sval": "x"}}, ...
  ival: null,
  fval: null,
  sval: null,
  boolval: null,
  bsval: null,
}));

/** `parameters`: how many bound values the query is run with ($1 … $n); without, a parameter is refused. */
export function walkSelect(stmt: unknown, schema: string, parameters = 0): Analysis {
  const walker = new Walker(schema, collectCteNames(stmt), parameters);
  walker.visit(stmt, 0, 'stmt');
  return { relations: [...walker.relations] };
}

class Walker {
  readonly relations = new Set<string>();

  constructor(
    private readonly schema: string,
    private readonly cteNames: ReadonlySet<string>,
    private readonly parameters: number,
  ) {}

  visit(value: unknown, depth: number, field: string): void {
    if (depth > MAX_DEPTH) throw new QueryRejected('the query is nested too deeply');
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item, depth + 1, field);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const keys = Object.keys(value);
    if (keys.length === 0) return; // a NULL node, e.g. an absent column definition list
    const body = value as Body;
    const [only] = keys;
    if (keys.length === 1 && only !== undefined && /^[A-Z]/.test(only)) {
      this.node(only, asBody(body[only]), depth);
      return;
    }
    if (!STRUCT_FIELDS.has(field)) throw new QueryRejected(`unsupported SQL construct (${field})`);
    const type = STRUCT_FIELDS.get(field) ?? inferType(body);
    if (type) this.check(type, body);
    this.fields(body, depth);
  }

  private node(type: string, body: Body, depth: number): void {
    this.check(type, body);
    this.fields(body, depth);
  }

  private fields(body: Body, depth: number): void {
    for (const [key, value] of Object.entries(body)) this.visit(value, depth + 1, key);
  }

  private check(type: string, body: Body): void {
    // A saved question's values travel bound to $1 … $n (features/questions/template.ts): data, never SQL.
    if (type === 'ParamRef' && this.parameters > 0) {
      const number = body.number;
      if (typeof number === 'number' && Number.isInteger(number) && number >= 1 && number <= this.parameters) return;
      throw new QueryRejected(`parameter $${String(number)} has no value; this query is run with ${this.parameters}`);
    }
    if (!ALLOWED_NODES.has(type)) {
      throw new QueryRejected(REJECTED_NODE_REASONS[type] ?? `unsupported SQL construct: ${describeNode(type)}`);
    }
    // Shape first: a struct that looks like a relation, function or type is checked as one whatever it is called.
    const shaped = inferType(body);
    if (shaped && shaped !== type) this.check(shaped, body);
    switch (type) {
      case 'SelectStmt':
        if (body.intoClause) throw new QueryRejected(REJECTED_NODE_REASONS.IntoClause as string);
        if (Array.isArray(body.lockingClause) && body.lockingClause.length > 0) {
          throw new QueryRejected(REJECTED_NODE_REASONS.LockingClause as string);
        }
        return;
      case 'CommonTableExpr':
        return checkCte(body);
      case 'RangeVar':
        return this.checkRelation(body);
      case 'FuncCall':
        return checkFunction(body);
      case 'TypeName':
        return checkType(body);
      case 'A_Expr':
        // BETWEEN's "name" is the keyword; the comparisons it stands for are plain < and >.
        return /BETWEEN/.test(String(body.kind)) ? undefined : checkOperator(body.name);
      case 'SubLink':
        return checkOperator(body.operName);
      case 'SortBy':
        return checkOperator(body.useOp);
      case 'ColumnRef':
        return this.checkColumn(body);
      case 'CollateClause':
        return checkQualified(strings(body.collname), 'collation');
      case 'SQLValueFunction':
        return checkSqlValueFunction(body);
      case 'RangeTableSample':
        return checkTableSample(body);
      default:
        return;
    }
  }

  private checkRelation(body: Body): void {
    const relname = String(body.relname ?? '');
    if (body.catalogname) throw new QueryRejected(`database-qualified names are not allowed ("${body.catalogname}")`);
    const schemaname = typeof body.schemaname === 'string' && body.schemaname !== '' ? body.schemaname : undefined;
    if (schemaname !== undefined && schemaname !== this.schema) throw new QueryRejected(foreignSchema(schemaname));
    if (schemaname === undefined) {
      // pg_catalog is searched before the tenant's schema, so an unqualified pg_* name is a catalog.
      if (/^pg_/i.test(relname)) throw new QueryRejected(catalogMessage(`"${relname}"`));
      if (this.cteNames.has(relname)) return;
    }
    if (!/^[a-z0-9_]+$/.test(relname)) {
      throw new QueryRejected(
        `relation "${relname}" is not a table of this warehouse (table names are lower-case letters, digits and _)`,
      );
    }
    this.relations.add(relname);
  }

  private checkColumn(body: Body): void {
    const parts = (Array.isArray(body.fields) ? body.fields : []).map((field) => stringValue(field) ?? '*');
    if (parts.length >= 4) throw new QueryRejected('database-qualified column references are not allowed');
    if (parts.length === 3 && parts[0] !== this.schema) throw new QueryRejected(foreignSchema(parts[0] as string));
    const column = parts[parts.length - 1];
    if (column !== undefined && SYSTEM_COLUMNS.has(column)) {
      throw new QueryRejected(`system column ${column} is not allowed (if it is an alias of yours, rename it)`);
    }
  }
}

function checkCte(body: Body): void {
  const query = body.ctequery;
  const type = query && typeof query === 'object' ? Object.keys(query)[0] : undefined;
  if (type !== 'SelectStmt') {
    const verb = type ? type.replace(/Stmt$/, '').toUpperCase() : 'statement';
    throw new QueryRejected(`data-modifying statements in WITH are not allowed; found ${verb}`);
  }
}

function checkFunction(body: Body): void {
  const names = strings(body.funcname);
  const name = names[names.length - 1] ?? '';
  if (names.length > 2 || (names.length === 2 && names[0] !== CATALOG_SCHEMA)) {
    throw new QueryRejected(`function ${names.join('.')}() is not allowed; call built-in functions by their plain name`);
  }
  if (!ALLOWED_FUNCTIONS.has(name)) {
    throw new QueryRejected(
      `function ${name}() is not allowed; only built-in aggregate, window, math, string, date/time, JSON and array functions can be used`,
    );
  }
}

function checkType(body: Body): void {
  const names = strings(body.names);
  if (body.setof || body.pct_type) throw new QueryRejected('SETOF and %TYPE are not allowed');
  checkQualified(names, 'type');
  const name = names[names.length - 1] ?? '';
  if (!ALLOWED_TYPES.has(name)) throw new QueryRejected(`type ${name} is not allowed in this query (casts to it are refused)`);
}

function checkOperator(value: unknown): void {
  if (value === undefined) return;
  const names = strings(value);
  checkQualified(names, 'operator');
  const symbol = names[names.length - 1] ?? '';
  if (!ALLOWED_OPERATORS.has(symbol)) throw new QueryRejected(`operator ${symbol} is not allowed`);
}

function checkSqlValueFunction(body: Body): void {
  const op = String(body.op ?? '');
  if (!ALLOWED_SQL_VALUE_FUNCTIONS.has(op)) {
    throw new QueryRejected(`${op.replace(/^SVFOP_/, '').replace(/_N$/, '')} is not allowed`);
  }
}

function checkTableSample(body: Body): void {
  const names = strings(body.method);
  checkQualified(names, 'TABLESAMPLE method');
  const method = names[names.length - 1] ?? '';
  if (!ALLOWED_TABLESAMPLE_METHODS.has(method)) {
    throw new QueryRejected(`TABLESAMPLE ${method} is not allowed; use BERNOULLI or SYSTEM`);
  }
}

/** A name may be plain or qualified with pg_catalog, nothing else. */
function checkQualified(names: string[], what: string): void {
  if (names.length === 0) throw new QueryRejected(`unsupported ${what}`);
  if (names.length > 2 || (names.length === 2 && names[0] !== CATALOG_SCHEMA)) {
    throw new QueryRejected(`${what} ${names.join('.')} is not allowed`);
  }
}

/** What an unwrapped struct is, from its fields, for the node types whose names matter. */
function inferType(body: Body): string | undefined {
  if ('relname' in body) return 'RangeVar';
  if ('funcname' in body) return 'FuncCall';
  if ('names' in body && ('typemod' in body || 'typeOid' in body || 'arrayBounds' in body)) return 'TypeName';
  if ('ctequery' in body) return 'CommonTableExpr';
  if ('targetList' in body || 'valuesLists' in body || 'lockingClause' in body || 'intoClause' in body) return 'SelectStmt';
  return undefined;
}

function collectCteNames(tree: unknown): Set<string> {
  const names = new Set<string>();
  const stack: unknown[] = [tree];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value);
    else if (value && typeof value === 'object') {
      const body = value as Body;
      if (typeof body.ctename === 'string') names.add(body.ctename);
      stack.push(...Object.values(body));
    }
  }
  return names;
}

function foreignSchema(schema: string): string {
  if (/^(pg_|information_schema$)/i.test(schema)) return catalogMessage(`schema "${schema}"`);
  return `schema "${schema}" is not accessible; only this warehouse's tables can be queried (use unqualified table names)`;
}

function catalogMessage(what: string): string {
  return `system catalogs are not accessible (${what}); list_tables and describe_table show this warehouse's tables and columns`;
}

function describeNode(type: string): string {
  return type.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2');
}

function asBody(value: unknown): Body {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Body) : {};
}

function stringValue(node: unknown): string | undefined {
  const inner = (node as { String?: { sval?: unknown } } | null)?.String;
  return inner && typeof inner.sval === 'string' ? inner.sval : undefined;
}

function strings(list: unknown): string[] {
  return Array.isArray(list) ? list.map((item) => stringValue(item) ?? '') : [];
}
