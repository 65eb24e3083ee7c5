// An ESLint rule that finds import cycles closed by `import type` edges.
//
// `import-x/no-cycle` skips type-only imports by design (they vanish at run time), so two modules
// that import each other's types never show up there. Such a circle still ties the modules
// together for a reader and for the type checker, so this rule reports it. It only reports the
// cycles that exist once type imports count and did not exist without them: cycles made of
// run-time imports alone stay import-x's job, so nothing is reported twice.
//
// The graph comes from the TypeScript program that typed linting already built, so the rule
// needs `parserOptions.projectService` (or `project`) and costs one walk over the program.
import ts from 'typescript';
import { relative } from 'node:path';

/** @typedef {{ to: string, typeOnly: boolean }} Edge */
/** @typedef {{ edges: Map<string, Edge[]>, fullScc: Map<string, number>, valueScc: Map<string, number>, resolve: (spec: string, from: string) => string | undefined }} Graph */

/** @type {WeakMap<ts.Program, Graph>} */
const graphs = new WeakMap();

/**
 * @param {ts.ImportDeclaration} decl
 * @returns {boolean}
 */
function importIsTypeOnly(decl) {
  const clause = decl.importClause;
  if (!clause) return false; // `import './x.ts'` runs the module
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

/**
 * Every module a file refers to, with whether only types cross that edge.
 * @param {ts.SourceFile} sf
 * @returns {{ spec: string, typeOnly: boolean }[]}
 */
function moduleRefs(sf) {
  /** @type {{ spec: string, typeOnly: boolean }[]} */
  const refs = [];
  /** @param {ts.Node} node */
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      refs.push({ spec: node.moduleSpecifier.text, typeOnly: importIsTypeOnly(node) });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause;
      const typeOnly =
        node.isTypeOnly || (!!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly));
      refs.push({ spec: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      refs.push({ spec: node.argument.literal.text, typeOnly: true });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) refs.push({ spec: arg.text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return refs;
}

/**
 * Tarjan's strongly connected components; each file maps to its component's id.
 * @param {string[]} nodes
 * @param {(n: string) => string[]} next
 * @returns {Map<string, number>}
 */
function scc(nodes, next) {
  let index = 0;
  let comp = 0;
  /** @type {Map<string, number>} */ const idx = new Map();
  /** @type {Map<string, number>} */ const low = new Map();
  /** @type {Map<string, number>} */ const out = new Map();
  /** @type {string[]} */ const stack = [];
  const onStack = new Set();
  /** @param {string} v */
  const strong = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, idx.get(w) ?? 0));
      }
    }
    if (low.get(v) === idx.get(v)) {
      let w;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        out.set(w, comp);
      } while (w !== v);
      comp++;
    }
  };
  for (const n of nodes) if (!idx.has(n)) strong(n);
  return out;
}

/**
 * @param {ts.Program} program
 * @returns {Graph}
 */
function graphOf(program) {
  const cached = graphs.get(program);
  if (cached) return cached;
  const options = program.getCompilerOptions();
  const cache = ts.createModuleResolutionCache(program.getCurrentDirectory(), (f) => f, options);
  /** @type {(spec: string, from: string) => string | undefined} */
  const resolve = (spec, from) => {
    if (!spec.startsWith('.') && !spec.startsWith('/')) return undefined; // packages cannot close a cycle here
    const r = ts.resolveModuleName(spec, from, options, ts.sys, cache).resolvedModule;
    return r && !r.isExternalLibraryImport ? r.resolvedFileName : undefined;
  };
  /** @type {Map<string, Edge[]>} */
  const edges = new Map();
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || program.isSourceFileFromExternalLibrary(sf)) continue;
    /** @type {Map<string, Edge>} */
    const byTarget = new Map();
    for (const ref of moduleRefs(sf)) {
      const to = resolve(ref.spec, sf.fileName);
      if (!to) continue;
      const prev = byTarget.get(to);
      // One run-time import makes the whole edge a run-time edge.
      byTarget.set(to, { to, typeOnly: (prev?.typeOnly ?? true) && ref.typeOnly });
    }
    edges.set(sf.fileName, [...byTarget.values()]);
  }
  const nodes = [...edges.keys()];
  const targets = (/** @type {boolean} */ withTypes) => (/** @type {string} */ n) =>
    (edges.get(n) ?? []).filter((e) => edges.has(e.to) && (withTypes || !e.typeOnly)).map((e) => e.to);
  const graph = { edges, fullScc: scc(nodes, targets(true)), valueScc: scc(nodes, targets(false)), resolve };
  graphs.set(program, graph);
  return graph;
}

/**
 * Shortest path from `from` back to `to`, for the message.
 * @param {Graph} g
 * @param {string} from
 * @param {string} to
 * @returns {string[]}
 */
function pathBack(g, from, to) {
  /** @type {Map<string, string>} */
  const prev = new Map();
  const queue = [from];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const n = /** @type {string} */ (queue.shift());
    if (n === to) break;
    for (const e of g.edges.get(n) ?? []) {
      if (seen.has(e.to) || g.fullScc.get(e.to) !== g.fullScc.get(from)) continue;
      seen.add(e.to);
      prev.set(e.to, n);
      queue.push(e.to);
    }
  }
  /** @type {string[]} */
  const path = [to];
  for (let n = prev.get(to); n !== undefined; n = prev.get(n)) path.unshift(n);
  return path;
}

/** @type {import('eslint').Rule.RuleModule} */
export const noTypeImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles that only close through `import type` (import-x/no-cycle skips those).' },
    schema: [],
    messages: { cycle: 'Import cycle through type-only imports: {{path}}. Move the shared type to a module both can import.' },
  },
  create(context) {
    const program = context.sourceCode.parserServices?.program;
    if (!program) return {};
    const g = graphOf(program);
    const file = context.physicalFilename;
    const mine = g.fullScc.get(file);
    if (mine === undefined) return {};
    const root = program.getCurrentDirectory();
    /** @param {import('eslint').Rule.Node & { source?: unknown }} node */
    const check = (node) => {
      const source = /** @type {{ type?: string, value?: unknown } | null | undefined} */ (node.source);
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const to = g.resolve(source.value, file);
      if (!to || to === file || g.fullScc.get(to) !== mine || g.valueScc.get(to) === g.valueScc.get(file)) return;
      const path = [file, ...pathBack(g, to, file)].map((p) => relative(root, p)).join(' → ');
      context.report({ node, messageId: 'cycle', data: { path } });
    };
    return {
      ImportDeclaration: check,
      ExportAllDeclaration: check,
      ExportNamedDeclaration: check,
      ImportExpression: check,
      /** @param {import('eslint').Rule.Node & { argument?: { type: string, literal?: unknown } }} node */
      TSImportType(node) {
        const arg = node.argument;
        if (arg?.type === 'TSLiteralType') check(/** @type {never} */ ({ ...node, source: arg.literal }));
      },
    };
  },
};
