import { codegenExpression, parseExpression } from 'vega';
import { describe, expect, it } from 'vitest';
import { checkSpec, expressionProblem, MAX_SPEC_BYTES } from './allow-list';
import { renderChart } from './render';

const BAR = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: 'Cases by case type',
  mark: { type: 'bar' },
  encoding: {
    x: { field: 'case_type', type: 'nominal', sort: '-y' },
    y: { field: 'cases', type: 'quantitative' },
  },
};

type Spec = Record<string, unknown>;
const withEncoding = (channels: Spec): Spec => ({ ...BAR, encoding: { ...BAR.encoding, ...channels } });
const withTransform = (...steps: Spec[]): Spec => ({ ...BAR, transform: steps });

function errorsOf(spec: unknown): string[] {
  const check = checkSpec(spec);
  if (check.ok) throw new Error(`the spec was accepted: ${JSON.stringify(spec)}`);
  return check.errors;
}

describe('a Vega-Lite spec from outside', () => {
  it('is accepted when every part is allowed, and returned without data for Scout to add the rows', () => {
    const check = checkSpec({ ...BAR, data: { name: 'rows' } });
    expect(check).toEqual({ ok: true, spec: BAR });
  });

  it('is accepted with allowed transforms, expressions, conditions and layers', () => {
    const spec = {
      transform: [{ calculate: 'toNumber(datum.cases) * 2', as: 'doubled' }, { filter: 'datum.cases > 3' }, { filter: { and: ['datum.cases > 1', { field: 'case_type', oneOf: ['a', 'b'] }] } }],
      layer: [
        { mark: 'bar', encoding: { x: { field: 'case_type', type: 'nominal' }, y: { field: 'doubled', type: 'quantitative' }, color: { condition: { test: 'datum.cases > 100', value: 'red' }, value: 'steelblue' } } },
        { mark: { type: 'text', dy: -5 }, encoding: { x: { field: 'case_type', type: 'nominal' }, y: { field: 'doubled', type: 'quantitative' }, text: { field: 'cases', type: 'quantitative', format: ',', formatType: 'number' } } },
      ],
      width: 'container',
      height: 300,
    };
    expect(checkSpec(spec)).toMatchObject({ ok: true });
  });

  it('gets the Vega-Lite schema Scout compiles with, whatever version it named', () => {
    const check = checkSpec({ ...BAR, $schema: 'https://vega.github.io/schema/vega-lite/v5.json' });
    expect(check.ok && check.spec.$schema).toBe('https://vega.github.io/schema/vega-lite/v6.json');
    expect(errorsOf({ ...BAR, $schema: 'https://example.org/schema/vega-lite/v6.json' })).toEqual([expect.stringMatching(/^spec\.\$schema must be a Vega-Lite schema URL/)]);
  });

  it('is refused when it is not an object', () => {
    for (const raw of [null, 'bar', [BAR], 3]) expect(errorsOf(raw)).toEqual(['spec must be a Vega-Lite spec object']);
  });

  it('is refused when it is not valid Vega-Lite', () => {
    expect(errorsOf({ ...BAR, mark: { type: 'bar', orient: 'diagonal' }, encoding: { x: { field: 'a', type: 'nonsense' } } })).toEqual([expect.stringMatching(/^spec is not valid Vega-Lite/)]);
  });

  it('is refused without a mark', () => {
    const { mark: _mark, ...markless } = BAR;
    expect(errorsOf(markless)).toContain('spec needs a mark (or layers)');
  });

  describe('loads nothing from outside', () => {
    it('no data.url', () => {
      expect(errorsOf({ ...BAR, data: { url: 'https://example.org/cases.csv' } })).toEqual([
        'spec.data: a chart draws the query\'s rows; leave data out (or write {"name": "rows"})',
        "spec.data.url is not allowed: a chart draws only the query's rows and loads or links nothing",
      ]);
    });

    it('no inline data of its own', () => {
      expect(errorsOf({ ...BAR, data: { values: [{ case_type: 'made up', cases: 1e9 }] } })).toEqual([expect.stringMatching(/^spec\.data: a chart draws the query's rows/)]);
    });

    it('no url nested anywhere', () => {
      expect(errorsOf(withEncoding({ x: { field: 'case_type', type: 'nominal', scale: { url: 'https://example.org/x' } } }))).toContain(
        "spec.encoding.x.scale.url is not allowed: a chart draws only the query's rows and loads or links nothing",
      );
      expect(errorsOf({ ...BAR, layer: [{ mark: 'bar', data: { url: 'https://example.org/x.json' } }] })).toEqual(
        expect.arrayContaining([expect.stringMatching(/^spec\.layer\.0\.data is not allowed/), expect.stringMatching(/^spec\.layer\.0\.data\.url is not allowed/)]),
      );
    });

    it('no lookup from another source', () => {
      const errors = errorsOf(withTransform({ lookup: 'case_type', from: { data: { url: 'https://example.org/types.json' }, key: 'id', fields: ['label'] } }));
      expect(errors).toContain("spec.transform.0.lookup is not allowed: a chart draws only the query's rows and loads or links nothing");
      expect(errors).toContain("spec.transform.0.from is not allowed: a chart draws only the query's rows and loads or links nothing");
    });

    it('no datasets', () => {
      expect(errorsOf({ ...BAR, datasets: { other: [{ a: 1 }] } })).toEqual([
        expect.stringMatching(/^spec\.datasets is not allowed; a chart spec may have \$schema, title/),
        "spec.datasets is not allowed: a chart draws only the query's rows and loads or links nothing",
      ]);
    });

    it('no image mark', () => {
      const errors = errorsOf({ ...BAR, mark: { type: 'image', width: 20 }, encoding: { ...BAR.encoding, url: { field: 'picture', type: 'nominal' } } });
      expect(errors).toContain('spec.mark must be one of bar, line, area, point, circle, square, tick, rule, text, arc, rect, trail, boxplot, errorbar, errorband');
      expect(errors).toContain('spec.encoding.url is not an allowed channel');
    });
  });

  it('links nowhere: an href channel or mark property is refused, field by field', () => {
    expect(errorsOf(withEncoding({ href: { field: 'case_type', type: 'nominal' } }))).toEqual([
      'spec.encoding.href is not an allowed channel',
      "spec.encoding.href is not allowed: a chart draws only the query's rows and loads or links nothing",
    ]);
    expect(errorsOf({ ...BAR, mark: { type: 'bar', href: 'https://example.org' } })).toEqual(["spec.mark.href is not allowed: a chart draws only the query's rows and loads or links nothing"]);
  });

  it('binds nothing to the page and sets no config: params and config are refused', () => {
    expect(errorsOf({ ...BAR, params: [{ name: 'p', value: 1, bind: { input: 'range' } }] })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^spec\.params is not allowed; a chart spec may have/), "spec.params is not allowed: a chart draws only the query's rows and loads or links nothing"]),
    );
    expect(errorsOf({ ...BAR, config: { customFormatTypes: true } })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^spec\.config is not allowed; a chart spec may have/), "spec.config is not allowed: a chart draws only the query's rows and loads or links nothing"]),
    );
    expect(errorsOf({ ...BAR, layer: [{ mark: 'bar', params: [{ name: 'brush', select: 'interval' }] }] })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^spec\.layer\.0\.params is not allowed; a chart spec may have mark, encoding/)]),
    );
  });

  describe('is refused past its size limits', () => {
    it(`more than ${MAX_SPEC_BYTES} characters`, () => {
      const big = { ...BAR, description: 'x'.repeat(MAX_SPEC_BYTES) };
      expect(errorsOf(big)).toEqual([expect.stringMatching(/^spec is \d+ characters; at most 16384 are drawn/)]);
    });

    it('nesting too deep', () => {
      let deep: Spec = { text: 'bottom' };
      for (let i = 0; i < 20; i++) deep = { nested: deep };
      expect(errorsOf({ ...BAR, title: deep })).toEqual([expect.stringMatching(/^spec\.title(\.nested)+ is nested too deeply$/)]);
    });

    it('an array of more than 100 items', () => {
      const domain = Array.from({ length: 101 }, (_, i) => `type ${i}`);
      expect(errorsOf(withEncoding({ x: { field: 'case_type', type: 'nominal', scale: { domain } } }))).toEqual(['spec.encoding.x.scale.domain has more than 100 items']);
    });

    it('a string longer than 500 characters', () => {
      expect(errorsOf({ ...BAR, description: 'x'.repeat(501) })).toEqual(['spec.description is longer than 500 characters']);
    });

    it.each([5000, 0, -1, '100%'])('width %j', (width) => {
      expect(errorsOf({ ...BAR, width })).toEqual(['spec.width must be a number up to 2000 or "container"']);
    });

    it('a layer as tall as 5000 pixels, and more than five layers', () => {
      expect(errorsOf({ ...BAR, layer: [{ mark: 'bar', height: 5000 }] })).toContain('spec.layer.0.height must be a number up to 2000 or "container"');
      expect(errorsOf({ ...BAR, layer: Array.from({ length: 6 }, () => ({ mark: 'bar' })) })).toContain('spec.layer: at most 5 layers');
    });
  });

  describe('is refused for parts not on the lists, naming them', () => {
    it('an unknown top-level key', () => {
      expect(errorsOf({ ...BAR, autosize: 'fit', background: 'black' })).toEqual([
        expect.stringMatching(/^spec\.autosize is not allowed; a chart spec may have \$schema, title, description, mark, encoding/),
        expect.stringMatching(/^spec\.background is not allowed; a chart spec may have/),
      ]);
    });

    it('an unknown channel', () => {
      expect(errorsOf(withEncoding({ description: { field: 'x' }, latitude: { field: 'lat' } }))).toEqual([
        'spec.encoding.description is not an allowed channel',
        'spec.encoding.latitude is not an allowed channel',
      ]);
    });

    it('an unknown transform', () => {
      expect(errorsOf(withTransform({ impute: 'cases', key: 'case_type' }))).toEqual([
        expect.stringMatching(/^spec\.transform\.0 \(impute, key\) is not an allowed transform; a transform may be one of aggregate, bin, calculate/),
      ]);
      expect(errorsOf({ ...BAR, transform: { calculate: '1', as: 'one' } })).toEqual(['spec.transform must be a list']);
    });

    it('a geographic mark or projection', () => {
      expect(errorsOf({ ...BAR, mark: 'geoshape', projection: { type: 'mercator' } })).toEqual(
        expect.arrayContaining([expect.stringMatching(/^spec\.projection is not allowed/), expect.stringMatching(/^spec\.mark must be one of/)]),
      );
    });

    it('a format type other than number or time (it would name a function Vega-Lite calls on the field)', () => {
      expect(errorsOf(withEncoding({ tooltip: [{ field: 'case_type', type: 'nominal', formatType: 'test', format: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' }] }))).toEqual([
        'spec.encoding.tooltip.0.formatType must be "number" or "time"',
      ]);
      expect(errorsOf(withEncoding({ x: { field: 'case_type', type: 'nominal', axis: { formatType: 'data' } } }))).toEqual(['spec.encoding.x.axis.formatType must be "number" or "time"']);
    });
  });

  describe('reads expressions wherever Vega-Lite evaluates them', () => {
    it('in a calculate, a filter, a condition test, a label expression and an expression reference', () => {
      expect(errorsOf(withTransform({ calculate: "data('other')", as: 'x' }))).toEqual(["spec.transform.0.calculate: the function 'data' is not allowed in chart expressions"]);
      expect(errorsOf(withTransform({ filter: 'window.location' }))).toEqual(['spec.transform.0.filter: expressions may read only fields of datum']);
      expect(errorsOf(withEncoding({ color: { condition: { test: "scale('x', 1)", value: 'red' }, value: 'blue' } }))).toEqual([
        "spec.encoding.color.condition.test: the function 'scale' is not allowed in chart expressions",
      ]);
      expect(errorsOf(withEncoding({ x: { field: 'case_type', type: 'nominal', axis: { labelExpr: 'event' } } }))).toEqual([
        "spec.encoding.x.axis.labelExpr: 'event' is not available; expressions read fields as datum.<field>",
      ]);
      expect(errorsOf({ ...BAR, mark: { type: 'bar', opacity: { expr: 'random()' } } })).toEqual(["spec.mark.opacity.expr: the function 'random' is not allowed in chart expressions"]);
    });

    it('in a signal reference', () => {
      expect(errorsOf({ ...BAR, mark: { type: 'bar', color: { signal: "warn('x') || 'red'" } } })).toEqual(["spec.mark.color.signal: the function 'warn' is not allowed in chart expressions"]);
    });

    it("in a predicate's and, or and not", () => {
      expect(errorsOf(withTransform({ filter: { and: ['datum.cases > 1', "test(/(a+)+$/, datum.case_type)"] } }))).toEqual([
        "spec.transform.0.filter.and.1: the function 'test' is not allowed in chart expressions",
      ]);
      expect(errorsOf(withTransform({ filter: { not: { or: ["data('x')"] } } }))).toEqual(["spec.transform.0.filter.not.or.0: the function 'data' is not allowed in chart expressions"]);
      expect(errorsOf(withEncoding({ color: { condition: { test: { not: 'datum.__proto__ || warn(1)' }, value: 'red' }, value: 'blue' } }))).toEqual([
        "spec.encoding.color.condition.test.not: the function 'warn' is not allowed in chart expressions",
      ]);
    });
  });
});

describe('a chart expression', () => {
  it.each(['datum.count * 2', 'toNumber(datum.x) > 3', "datum['case type'] + 1", 'if(datum.closed, 1, 0)', 'round(datum.weight * 10) / 10', 'timeFormat(toDate(datum.day), "%b")', 'PI * pow(datum.r, 2)', '[datum.a, datum.b]'])(
    'may read the row and call safe functions: %s',
    (source) => {
      expect(expressionProblem(source)).toBeUndefined();
    },
  );

  it.each([
    ["data('x')", "the function 'data' is not allowed in chart expressions"],
    ["scale('x', 1)", "the function 'scale' is not allowed in chart expressions"],
    ['window.location', 'expressions may read only fields of datum'],
    ['constructor', "'constructor' is not available; expressions read fields as datum.<field>"],
    ["'a'.constructor", 'expressions may read only fields of datum'],
    ['/(a+)+$/', 'regular expressions are not allowed in chart expressions'],
    ['indexof([/a/], datum.x)', 'regular expressions are not allowed in chart expressions'],
    ["test(/a/, 'a')", "the function 'test' is not allowed in chart expressions"],
    ["regexp('(a+)+$')", "the function 'regexp' is not allowed in chart expressions"],
    ["datum.constructor.constructor('return process')()", "the function '?' is not allowed in chart expressions"],
    ["(datum.constructor)('x')", "the function '?' is not allowed in chart expressions"],
    ['{valueOf: 1}', 'ObjectExpression is not allowed in chart expressions'],
    ['datum[warn(1)]', "the function 'warn' is not allowed in chart expressions"],
    ['datum[x]', "'x' is not available; expressions read fields as datum.<field>"],
  ])('may not: %s', (source, problem) => {
    expect(expressionProblem(source)).toBe(problem);
  });

  it('does not parse JavaScript beyond the expression language', () => {
    for (const source of ['this', 'new Date()', 'x = 1', 'function () {}', 'datum.x++', '() => 1', 'a; b']) expect(expressionProblem(source)).toMatch(/^the expression does not parse/);
  });

  /**
   * Reading a field by any name is allowed, `constructor` and `__proto__`
   * included: it reaches Object and Function but cannot run them. Vega's
   * expressions have no assignment, no `new`, and a call only to a function
   * named by an identifier (vega-expression's codegen refuses any other
   * callee, as the checker does), so a function read off the prototype chain
   * is an inert value.
   */
  describe('reaching the prototype through datum', () => {
    it('is allowed as a read', () => {
      expect(expressionProblem('datum.constructor.constructor')).toBeUndefined();
      expect(expressionProblem('datum.__proto__')).toBeUndefined();
    });

    it("cannot be called: vega's codegen refuses the call as the checker does", () => {
      const codegen = codegenExpression({ allowed: ['datum'], globalvar: 'global', fieldvar: 'datum' });
      expect(() => codegen(parseExpression("datum.constructor.constructor('return process')()"))).toThrow('Illegal callee type: CallExpression');
      expect(() => codegen(parseExpression("datum.constructor.constructor('return process')"))).toThrow('Illegal callee type: MemberExpression');
      expect(() => codegen(parseExpression('{__proto__: 1}'))).toThrow('Illegal property: __proto__');
    });

    it("as a quoted name is read by vega's parser as a global, which the checker refuses", () => {
      // `datum['__proto__']` parses as datum[__proto__]: vega's parser looks string tokens up in a plain object, so Object.prototype's names become identifiers.
      expect(parseExpression("datum['__proto__']")).toMatchObject({ property: { type: 'Identifier', name: '__proto__' } });
      expect(expressionProblem("datum['__proto__']")).toBe("'__proto__' is not available; expressions read fields as datum.<field>");
      expect(expressionProblem("datum['constructor']")).toBe("'constructor' is not available; expressions read fields as datum.<field>");
    });

    it('draws as an inert value when a chart computes it', async () => {
      const check = checkSpec({
        transform: [{ calculate: 'datum.constructor.constructor', as: 'f' }, { calculate: 'toString(datum.__proto__)', as: 'p' }],
        mark: 'text',
        encoding: { text: { field: 'f', type: 'nominal' }, y: { field: 'p', type: 'nominal' } },
      });
      expect(check.ok).toBe(true);
      if (!check.ok) return;
      const { svg } = await renderChart({ ...check.spec, data: { values: [{ n: 1 }] } }, { width: 300, height: 200 });
      expect(svg).toContain('function Function() { [native code] }');
      expect(svg).toContain('[object Object]');
    });
  });

  it('refuses nesting past 32 levels', () => {
    expect(expressionProblem(`${'('.repeat(40)}datum.x${')'.repeat(40)}`)).toBeUndefined(); // parentheses are not nodes
    expect(expressionProblem(`${'- '.repeat(30)}datum.x`)).toBeUndefined();
    expect(expressionProblem(`${'- '.repeat(40)}datum.x`)).toBe('the expression is nested too deeply');
  });

  it('answers adversarial input of 10,000 characters with a problem', () => {
    const inputs = [
      `${'('.repeat(5_000)}${')'.repeat(5_000)}`,
      'datum.a + '.repeat(1_000),
      `/${'(a+)+'.repeat(1_600)}$/`,
      `'${'\\'.repeat(9_998)}'`,
      `${'-'.repeat(10_000)}1`,
      'x'.repeat(10_000),
    ];
    for (const source of inputs) expect(expressionProblem(source)).toBe('the expression is longer than 500 characters');
    // Under the limit, the parser and the walk still answer for the worst shapes.
    expect(expressionProblem(`${'['.repeat(249)}${']'.repeat(249)}`)).toBe('the expression is nested too deeply');
    expect(expressionProblem(`${'!'.repeat(499)}x`)).toBe('the expression is nested too deeply');
    expect(expressionProblem(`/${'(a+)+'.repeat(80)}$/`)).toBe('regular expressions are not allowed in chart expressions');
    // And inside a spec: one problem, not one per character.
    expect(errorsOf(withTransform({ calculate: 'datum.a + '.repeat(1_000), as: 'x' }))).toEqual(['spec.transform.0.calculate: the expression is longer than 500 characters']);
  });
});
