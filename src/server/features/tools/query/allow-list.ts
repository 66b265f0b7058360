/**
 * What a tenant's query may name. Everything here is built into PostgreSQL,
 * reads only its arguments, and has no side effect outside the statement;
 * anything not listed is rejected (fail closed). Names are compared exactly,
 * as the parser produced them: unquoted identifiers are already lower-case,
 * and a quoted "LOWER" is not lower() to PostgreSQL either.
 */

const AGGREGATES = `count sum avg min max array_agg string_agg bool_and bool_or every bit_and bit_or bit_xor
  json_agg jsonb_agg json_agg_strict jsonb_agg_strict json_object_agg jsonb_object_agg json_object_agg_strict
  jsonb_object_agg_strict json_object_agg_unique jsonb_object_agg_unique json_object_agg_unique_strict
  jsonb_object_agg_unique_strict stddev stddev_pop stddev_samp variance var_pop var_samp corr covar_pop covar_samp
  regr_avgx regr_avgy regr_count regr_intercept regr_r2 regr_slope regr_sxx regr_sxy regr_syy
  mode percentile_cont percentile_disc any_value range_agg range_intersect_agg`;

const WINDOW = `row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value`;

const MATH = `abs cbrt ceil ceiling degrees div exp factorial floor gcd lcm ln log log10 min_scale mod pi power pow
  radians round scale sign sqrt trim_scale trunc width_bucket random random_normal
  acos acosd asin asind atan atand atan2 atan2d cos cosd cot cotd sin sind tan tand sinh cosh tanh asinh acosh atanh
  erf erfc gamma lgamma`;

const STRING = `ascii bit_length btrim char_length character_length chr concat concat_ws format initcap left length lower
  lpad ltrim md5 normalize is_normalized octet_length overlay position quote_ident quote_literal quote_nullable
  regexp_count regexp_instr regexp_like regexp_match regexp_matches regexp_replace regexp_split_to_array
  regexp_split_to_table regexp_substr repeat replace reverse right rpad rtrim split_part starts_with string_to_array
  string_to_table strpos substr substring to_ascii to_hex to_bin to_oct translate unistr upper casefold
  like_escape similar_to_escape encode decode sha224 sha256 sha384 sha512 crc32 crc32c convert_from convert_to
  gen_random_uuid uuidv4 uuidv7 uuid_extract_timestamp uuid_extract_version`;

const ARRAYS = `array_append array_cat array_dims array_fill array_length array_lower array_ndims array_position
  array_positions array_prepend array_remove array_replace array_reverse array_sample array_shuffle array_sort
  array_to_string array_upper cardinality trim_array unnest generate_subscripts generate_series`;

const DATE_TIME = `age clock_timestamp date_add date_bin date_part date_subtract date_trunc extract isfinite justify_days
  justify_hours justify_interval make_date make_interval make_time make_timestamp make_timestamptz now
  statement_timestamp timeofday transaction_timestamp to_char to_date to_number to_timestamp timezone`;

const JSON_FUNCTIONS = `array_to_json row_to_json to_json to_jsonb json_build_array jsonb_build_array json_build_object
  jsonb_build_object json_object jsonb_object json_array_elements jsonb_array_elements json_array_elements_text
  jsonb_array_elements_text json_array_length jsonb_array_length json_each jsonb_each json_each_text jsonb_each_text
  json_extract_path jsonb_extract_path json_extract_path_text jsonb_extract_path_text json_object_keys
  jsonb_object_keys json_populate_record jsonb_populate_record jsonb_populate_record_valid json_populate_recordset
  jsonb_populate_recordset json_to_record jsonb_to_record json_to_recordset jsonb_to_recordset json_strip_nulls
  jsonb_strip_nulls json_typeof jsonb_typeof jsonb_pretty jsonb_set jsonb_set_lax jsonb_insert
  jsonb_path_exists jsonb_path_match jsonb_path_query jsonb_path_query_array jsonb_path_query_first
  jsonb_path_exists_tz jsonb_path_match_tz jsonb_path_query_tz jsonb_path_query_array_tz jsonb_path_query_first_tz`;

const TEXT_SEARCH = `to_tsvector to_tsquery plainto_tsquery phraseto_tsquery websearch_to_tsquery ts_rank ts_rank_cd
  ts_headline setweight strip tsvector_to_array array_to_tsvector numnode querytree ts_delete ts_filter`;

const RANGES = `upper isempty lower_inc upper_inc lower_inf upper_inf range_merge int4range int8range numrange
  tsrange tstzrange daterange int4multirange int8multirange nummultirange tsmultirange tstzmultirange datemultirange`;

/** Conditional helpers that are functions (COALESCE, NULLIF, GREATEST, LEAST, CASE are syntax). */
const CONDITIONAL = `num_nulls num_nonnulls`;

/** Function-style casts: date(ts), text(x), numeric(x)... */
const CASTS = `date text numeric int2 int4 int8 float4 float8 bool varchar bpchar interval timestamp timestamptz time`;

const words = (...lists: string[]) => new Set(lists.join(' ').split(/\s+/).filter(Boolean));

export const ALLOWED_FUNCTIONS: ReadonlySet<string> = words(
  AGGREGATES,
  WINDOW,
  MATH,
  STRING,
  ARRAYS,
  DATE_TIME,
  JSON_FUNCTIONS,
  TEXT_SEARCH,
  RANGES,
  CONDITIONAL,
  CASTS,
);

/**
 * Types a value may be cast to, by the name the parser produces (`int` is
 * already `pg_catalog.int4`). The reg* types are missing on purpose: casting
 * to them looks names up in the catalogs ('pg_authid'::regclass).
 */
export const ALLOWED_TYPES: ReadonlySet<string> = words(`
  bool boolean int2 int4 int8 smallint integer int bigint float4 float8 real numeric decimal money
  text varchar bpchar char character name date time timetz timestamp timestamptz interval
  json jsonb jsonpath uuid bytea bit varbit tsvector tsquery inet cidr macaddr macaddr8
  int4range int8range numrange daterange tsrange tstzrange
  int4multirange int8multirange nummultirange datemultirange tsmultirange tstzmultirange`);

/** Operator symbols (operators run functions too, so they are listed like functions). */
export const ALLOWED_OPERATORS: ReadonlySet<string> = new Set(
  `= <> != < > <= >= + - * / % ^ |/ ||/ @ & | # ~ << >> || ~~ ~~* !~~ !~~* ~* !~ !~*
   -> ->> #> #>> @> <@ ? ?| ?& #- @? @@ && -|- &< &> ^@ <->`.split(/\s+/).filter(Boolean),
);

/** SQL-standard value functions that take no arguments; the user/role/catalog ones would leak names. */
export const ALLOWED_SQL_VALUE_FUNCTIONS: ReadonlySet<string> = new Set([
  'SVFOP_CURRENT_DATE',
  'SVFOP_CURRENT_TIME',
  'SVFOP_CURRENT_TIME_N',
  'SVFOP_CURRENT_TIMESTAMP',
  'SVFOP_CURRENT_TIMESTAMP_N',
  'SVFOP_LOCALTIME',
  'SVFOP_LOCALTIME_N',
  'SVFOP_LOCALTIMESTAMP',
  'SVFOP_LOCALTIMESTAMP_N',
]);

export const ALLOWED_TABLESAMPLE_METHODS: ReadonlySet<string> = new Set(['bernoulli', 'system']);

/** System columns: row versions, transaction ids and the table's oid are nobody's business. */
export const SYSTEM_COLUMNS: ReadonlySet<string> = new Set(['ctid', 'xmin', 'xmax', 'cmin', 'cmax', 'tableoid']);

/** The only schema, besides the tenant's, that may qualify a function, type, operator or collation. */
export const CATALOG_SCHEMA = 'pg_catalog';

/**
 * Raw parse-tree node types a SELECT may contain. Any other node type, including
 * ones a later PostgreSQL adds, is rejected. Nodes that name things (functions,
 * relations, types, operators) have their own checks in walk.ts.
 */
export const ALLOWED_NODES: ReadonlySet<string> = new Set([
  // statements and clauses
  'SelectStmt', 'ResTarget', 'WithClause', 'CommonTableExpr', 'CTESearchClause', 'CTECycleClause',
  'SortBy', 'WindowDef', 'GroupingSet', 'Alias',
  // relations
  'RangeVar', 'RangeSubselect', 'RangeFunction', 'RangeTableSample', 'JoinExpr', 'ColumnDef',
  // expressions
  'ColumnRef', 'A_Star', 'A_Const', 'A_Expr', 'BoolExpr', 'NullTest', 'BooleanTest', 'FuncCall', 'NamedArgExpr',
  'TypeCast', 'TypeName', 'CollateClause', 'SubLink', 'CaseExpr', 'CaseWhen', 'CoalesceExpr', 'MinMaxExpr',
  'SQLValueFunction', 'A_ArrayExpr', 'A_Indirection', 'A_Indices', 'RowExpr', 'GroupingFunc',
  // values
  'List', 'String', 'Integer', 'Float', 'Boolean', 'BitString',
  // SQL/JSON
  'JsonFuncExpr', 'JsonIsPredicate', 'JsonObjectConstructor', 'JsonArrayConstructor', 'JsonArrayQueryConstructor',
  'JsonObjectAgg', 'JsonArrayAgg', 'JsonAggConstructor', 'JsonValueExpr', 'JsonOutput', 'JsonReturning',
  'JsonFormat', 'JsonKeyValue', 'JsonBehavior', 'JsonArgument', 'JsonParseExpr', 'JsonScalarExpr',
  'JsonSerializeExpr', 'JsonTable', 'JsonTableColumn', 'JsonTablePathSpec',
]);

/** Friendlier words for nodes that are rejected with a reason of their own. */
export const REJECTED_NODE_REASONS: Readonly<Record<string, string>> = {
  ParamRef: 'parameters ($1, $2, ...) are not supported; write the values into the query',
  XmlExpr: 'XML functions are not allowed',
  XmlSerialize: 'XML functions are not allowed',
  RangeTableFunc: 'XMLTABLE is not allowed',
  LockingClause: 'locking clauses (FOR UPDATE / FOR SHARE) are not allowed',
  IntoClause: 'SELECT ... INTO is not allowed',
};

/** The statement a parse tree holds, as a person would name it ('DELETE', 'SET', 'COMMIT'). */
export function statementName(type: string, body: Record<string, unknown>): string {
  switch (type) {
    case 'TransactionStmt':
      return String(body.kind ?? 'TRANSACTION')
        .replace(/^TRANS_STMT_/, '')
        .replace(/_/g, ' ');
    case 'VariableSetStmt':
      return body.kind === 'VAR_RESET' || body.kind === 'VAR_RESET_ALL' ? 'RESET' : 'SET';
    case 'VariableShowStmt':
      return 'SHOW';
    case 'CreateTableAsStmt':
      return 'CREATE TABLE AS';
    case 'CreateStmt':
      return 'CREATE TABLE';
    case 'ViewStmt':
      return 'CREATE VIEW';
    case 'VacuumStmt':
      return body.is_vacuumcmd ? 'VACUUM' : 'ANALYZE';
    case 'DeclareCursorStmt':
      return 'DECLARE';
    case 'ClosePortalStmt':
      return 'CLOSE';
    case 'CopyStmt':
      return 'COPY';
    default:
      return type
        .replace(/Stmt$/, '')
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .toUpperCase();
  }
}
