import { parseExpression } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { VEGA_LITE_SCHEMA, type ChartSpec } from '../../../shared/charts/spec';

/**
 * A Vega-Lite spec from outside (a model's, an MCP client's) is drawn only if
 * every part of it is on these lists: it draws the query's rows and nothing
 * else, loads nothing, links nowhere, and its expressions read only the row
 * they are given.
 */
const TOP_LEVEL = new Set(['$schema', 'title', 'description', 'mark', 'encoding', 'transform', 'layer', 'width', 'height', 'data', 'view', 'resolve']);
const LAYER = new Set(['mark', 'encoding', 'transform', 'title', 'description', 'width', 'height']);
const MARKS = new Set(['bar', 'line', 'area', 'point', 'circle', 'square', 'tick', 'rule', 'text', 'arc', 'rect', 'trail', 'boxplot', 'errorbar', 'errorband']);
const CHANNELS = new Set([
  'x', 'y', 'x2', 'y2', 'xOffset', 'yOffset', 'color', 'fill', 'stroke', 'opacity', 'fillOpacity', 'strokeOpacity', 'strokeWidth', 'strokeDash',
  'size', 'shape', 'angle', 'theta', 'theta2', 'radius', 'radius2', 'text', 'tooltip', 'detail', 'order', 'row', 'column', 'key',
]);
const TRANSFORMS = new Set(['aggregate', 'bin', 'calculate', 'filter', 'fold', 'timeUnit', 'window', 'joinaggregate', 'stack', 'pivot', 'sample', 'density', 'regression', 'loess', 'quantile', 'extent', 'flatten']);
/** Keys that load, link or reach outside the rows, wherever they appear. */
const FORBIDDEN_KEYS = new Set(['url', 'href', 'datasets', 'usermeta', 'signals', 'loader', 'params', 'config', 'projection', 'lookup', 'from', 'bind', 'sequence', 'graticule', 'sphere']);
/** Where Vega-Lite reads a string as an expression (`signal`: a Vega signal reference, passed through as it is). */
const EXPRESSION_KEYS = new Set(['calculate', 'test', 'expr', 'labelExpr', 'filter', 'signal']);
/** A predicate's `and`, `or` and `not` (in a filter or a condition's test) take expressions as strings too. */
const PREDICATE_KEYS = new Set(['and', 'or', 'not']);
/** Any other format type names an expression function that Vega-Lite calls on the field (a tooltip's `test` would run the row's text as a regular expression). */
const FORMAT_TYPES = new Set(['number', 'time']);

/** Functions an expression may call: arithmetic, strings, dates, formats; none reads data, scales, the view or the page. */
const SAFE_FUNCTIONS = new Set([
  'isNaN', 'isFinite', 'abs', 'acos', 'asin', 'atan', 'atan2', 'ceil', 'clamp', 'cos', 'exp', 'floor', 'hypot', 'log', 'max', 'min', 'pow', 'round', 'sin', 'sqrt', 'tan',
  'now', 'datetime', 'date', 'day', 'dayofyear', 'year', 'quarter', 'month', 'week', 'hours', 'minutes', 'seconds', 'milliseconds', 'time', 'timezoneoffset',
  'utc', 'utcdate', 'utcday', 'utcdayofyear', 'utcyear', 'utcquarter', 'utcmonth', 'utcweek', 'utchours', 'utcminutes', 'utcseconds', 'utcmilliseconds',
  'indexof', 'lastindexof', 'length', 'lower', 'upper', 'join', 'pad', 'parseFloat', 'parseInt', 'slice', 'split', 'substring', 'trim', 'truncate', 'reverse',
  'format', 'timeFormat', 'utcFormat', 'timeParse', 'utcParse', 'monthFormat', 'monthAbbrevFormat', 'dayFormat', 'dayAbbrevFormat',
  'toBoolean', 'toDate', 'toNumber', 'toString', 'if', 'isArray', 'isBoolean', 'isDate', 'isDefined', 'isNumber', 'isObject', 'isString', 'isValid', 'inrange', 'extent', 'span', 'sequence',
]);
const CONSTANTS = new Set(['datum', 'PI', 'E', 'SQRT2', 'SQRT1_2', 'LN2', 'LN10', 'LOG2E', 'LOG10E', 'NaN']);

export const MAX_SPEC_BYTES = 16_384;
const MAX_DEPTH = 12;
const MAX_ARRAY = 100;
const MAX_STRING = 500;
const MAX_SIZE_PX = 2000;
const MAX_LAYERS = 5;

export type SpecCheck = { ok: true; spec: ChartSpec } | { ok: false; errors: string[] };

interface Walk {
  errors: string[];
}

/** Checks a spec from outside against the allow-list; the checked spec carries no data (the caller adds the rows). */
export function checkSpec(raw: unknown): SpecCheck {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, errors: ['spec must be a Vega-Lite spec object'] };
  let size: number;
  try {
    size = JSON.stringify(raw).length;
  } catch {
    return { ok: false, errors: ['spec is not plain JSON'] };
  }
  if (size > MAX_SPEC_BYTES) return { ok: false, errors: [`spec is ${size} characters; at most ${MAX_SPEC_BYTES} are drawn (Scout adds the rows itself)`] };
  const walk: Walk = { errors: [] };
  const spec = raw as Record<string, unknown>;
  checkView(spec, TOP_LEVEL, 'spec', walk);
  if ('$schema' in spec && !isVegaLiteSchema(spec.$schema)) walk.errors.push('spec.$schema must be a Vega-Lite schema URL (https://vega.github.io/schema/vega-lite/…)');
  if ('data' in spec && !isRowsData(spec.data)) walk.errors.push("spec.data: a chart draws the query's rows; leave data out (or write {\"name\": \"rows\"})");
  if (Array.isArray(spec.layer)) {
    if (spec.layer.length > MAX_LAYERS) walk.errors.push(`spec.layer: at most ${MAX_LAYERS} layers`);
    spec.layer.forEach((layer, i) => {
      if (layer === null || typeof layer !== 'object' || Array.isArray(layer)) walk.errors.push(`spec.layer.${i} must be an object`);
      else checkView(layer as Record<string, unknown>, LAYER, `spec.layer.${i}`, walk);
    });
  } else if (!('mark' in spec)) walk.errors.push('spec needs a mark (or layers)');
  walkValue(spec, 'spec', 0, walk);
  if (walk.errors.length) return { ok: false, errors: walk.errors.slice(0, 10) };

  const { data: _data, ...rest } = spec;
  const checked = { ...rest, $schema: VEGA_LITE_SCHEMA } as ChartSpec;
  try {
    compile({ ...checked, data: { values: [] } } as TopLevelSpec, { logger: silentLogger });
  } catch (error) {
    return { ok: false, errors: [`spec is not valid Vega-Lite: ${String((error as Error).message).slice(0, 300)}`] };
  }
  return { ok: true, spec: checked };
}

function checkView(view: Record<string, unknown>, allowed: Set<string>, path: string, walk: Walk) {
  for (const key of Object.keys(view)) if (!allowed.has(key)) walk.errors.push(`${path}.${key} is not allowed; a chart spec may have ${[...allowed].join(', ')}`);
  if ('mark' in view) {
    const mark = view.mark;
    const type = typeof mark === 'string' ? mark : mark && typeof mark === 'object' ? (mark as { type?: unknown }).type : undefined;
    if (typeof type !== 'string' || !MARKS.has(type)) walk.errors.push(`${path}.mark must be one of ${[...MARKS].join(', ')}`);
  }
  if ('encoding' in view) {
    const encoding = view.encoding;
    if (!encoding || typeof encoding !== 'object' || Array.isArray(encoding)) walk.errors.push(`${path}.encoding must be an object`);
    else for (const channel of Object.keys(encoding)) if (!CHANNELS.has(channel)) walk.errors.push(`${path}.encoding.${channel} is not an allowed channel`);
  }
  if ('transform' in view) {
    if (!Array.isArray(view.transform)) walk.errors.push(`${path}.transform must be a list`);
    else
      view.transform.forEach((step, i) => {
        const op = step && typeof step === 'object' ? Object.keys(step).find((key) => TRANSFORMS.has(key)) : undefined;
        const named = step && typeof step === 'object' && !Array.isArray(step) ? ` (${Object.keys(step).join(', ') || 'empty'})` : '';
        if (!op) walk.errors.push(`${path}.transform.${i}${named} is not an allowed transform; a transform may be one of ${[...TRANSFORMS].join(', ')}`);
      });
  }
  for (const dimension of ['width', 'height'] as const) {
    const value = view[dimension];
    if (value !== undefined && value !== 'container' && !(typeof value === 'number' && value > 0 && value <= MAX_SIZE_PX)) {
      walk.errors.push(`${path}.${dimension} must be a number up to ${MAX_SIZE_PX} or "container"`);
    }
  }
}

/** `predicate`: the value is (a list of) a predicate's operands, whose strings are expressions. */
function walkValue(value: unknown, path: string, depth: number, walk: Walk, predicate = false): void {
  if (walk.errors.length >= 10) return;
  if (depth > MAX_DEPTH) {
    walk.errors.push(`${path} is nested too deeply`);
    return;
  }
  if (typeof value === 'string') {
    if (value.length > MAX_STRING) walk.errors.push(`${path} is longer than ${MAX_STRING} characters`);
    else if (predicate) {
      const problem = expressionProblem(value);
      if (problem) walk.errors.push(`${path}: ${problem}`);
    }
    return;
  }
  if (Array.isArray(value)) {
    if (value.length > MAX_ARRAY) walk.errors.push(`${path} has more than ${MAX_ARRAY} items`);
    value.forEach((item, i) => walkValue(item, `${path}.${i}`, depth + 1, walk, predicate));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (FORBIDDEN_KEYS.has(key)) {
      walk.errors.push(`${at} is not allowed: a chart draws only the query's rows and loads or links nothing`);
      continue;
    }
    if (EXPRESSION_KEYS.has(key) && typeof inner === 'string') {
      const problem = expressionProblem(inner);
      if (problem) walk.errors.push(`${at}: ${problem}`);
      continue;
    }
    if (key === 'formatType' && !(typeof inner === 'string' && FORMAT_TYPES.has(inner))) {
      walk.errors.push(`${at} must be ${[...FORMAT_TYPES].map((t) => `"${t}"`).join(' or ')}`);
      continue;
    }
    walkValue(inner, at, depth + 1, walk, PREDICATE_KEYS.has(key));
  }
}

/** Why an expression may not run, or undefined: it must read only `datum` and call only safe functions. */
export function expressionProblem(source: string): string | undefined {
  if (source.length > MAX_STRING) return `the expression is longer than ${MAX_STRING} characters`;
  let ast: ExpressionNode;
  try {
    ast = parseExpression(source) as unknown as ExpressionNode;
  } catch (error) {
    return `the expression does not parse (${String((error as Error).message).slice(0, 120)})`;
  }
  return nodeProblem(ast, 0);
}

interface ExpressionNode {
  type: string;
  name?: string;
  value?: unknown;
  regex?: unknown;
  computed?: boolean;
  object?: ExpressionNode;
  property?: ExpressionNode;
  callee?: ExpressionNode;
  arguments?: ExpressionNode[];
  left?: ExpressionNode;
  right?: ExpressionNode;
  argument?: ExpressionNode;
  test?: ExpressionNode;
  consequent?: ExpressionNode;
  alternate?: ExpressionNode;
  elements?: ExpressionNode[];
}

function nodeProblem(node: ExpressionNode | undefined, depth: number): string | undefined {
  if (!node) return undefined;
  if (depth > 32) return 'the expression is nested too deeply';
  const inner = (...nodes: Array<ExpressionNode | undefined>) => {
    for (const child of nodes) {
      const problem = nodeProblem(child, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  };
  switch (node.type) {
    case 'Literal':
      // A regular expression from outside could take exponential time on a row's text.
      return node.regex ? 'regular expressions are not allowed in chart expressions' : undefined;
    case 'Identifier':
      return CONSTANTS.has(node.name ?? '') ? undefined : `'${node.name}' is not available; expressions read fields as datum.<field>`;
    case 'MemberExpression':
      if (!memberOfDatum(node)) return 'expressions may read only fields of datum';
      return node.computed ? inner(node.object, node.property) : inner(node.object);
    case 'CallExpression': {
      const name = node.callee?.type === 'Identifier' ? node.callee.name : undefined;
      if (!name || !SAFE_FUNCTIONS.has(name)) return `the function '${name ?? '?'}' is not allowed in chart expressions`;
      return inner(...(node.arguments ?? []));
    }
    case 'BinaryExpression':
    case 'LogicalExpression':
      return inner(node.left, node.right);
    case 'UnaryExpression':
      return inner(node.argument);
    case 'ConditionalExpression':
      return inner(node.test, node.consequent, node.alternate);
    case 'ArrayExpression':
      return inner(...(node.elements ?? []));
    default:
      return `${node.type} is not allowed in chart expressions`;
  }
}

function memberOfDatum(node: ExpressionNode): boolean {
  let object = node.object;
  while (object?.type === 'MemberExpression') object = object.object;
  return object?.type === 'Identifier' && object.name === 'datum';
}

function isVegaLiteSchema(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.origin === 'https://vega.github.io' && url.pathname.startsWith('/schema/vega-lite/');
  } catch {
    return false;
  }
}

function isRowsData(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && (value as { name?: unknown }).name === 'rows';
}

const silentLogger = {
  level: () => silentLogger,
  error: () => silentLogger,
  warn: () => silentLogger,
  info: () => silentLogger,
  debug: () => silentLogger,
} as unknown as NonNullable<Parameters<typeof compile>[1]>['logger'];
