import { isAlias, isMap, isPair, isSeq, type Alias, type Document, type Node } from 'yaml';
import { UserError, type SourceLoc } from '../errors/diagnostic.js';
import { YAML_LIMITS } from './limits.js';

type At = (offset: number) => SourceLoc;

/** The node an alias (`*name`) stands for; an unknown anchor is a located error. */
export function resolveAlias(alias: Alias, doc: Document, at: At): Node {
  const target = alias.resolve(doc) as Node | undefined;
  if (!target) {
    throw new UserError({ severity: 'error', summary: `unknown alias *${alias.source}`, detail: `Define the anchor &${alias.source} before using it.`, source: at(alias.range?.[0] ?? 0) });
  }
  return target;
}

/**
 * Counts the nodes the document holds once every alias is expanded, and
 * refuses it past YAML_LIMITS.maxAliasNodes, at the alias that crossed the
 * line: nine anchors of nine aliases each are a billion nodes (a "billion
 * laughs" file) written in a few hundred bytes. An alias inside its own
 * anchor (a cycle) is refused too. Sizes are memoised per node, so the count
 * costs one pass whatever the expansion would be.
 */
export function expandedSize(doc: Document, at: At): number {
  const memo = new Map<Node, number>();
  const open = new Set<Node>();
  let aliasNodes = 0;
  const size = (node: unknown, depth: number): number => {
    if (node === null || typeof node !== 'object') return 1;
    // too deep: the conversion reports it, with its location
    if (depth > YAML_LIMITS.maxDepth) return 1;
    if (isAlias(node)) {
      const target = resolveAlias(node, doc, at);
      if (open.has(target)) {
        throw new UserError({ severity: 'error', summary: `alias *${node.source} is inside its own anchor`, detail: 'An anchor cannot contain an alias to itself.', source: at(node.range?.[0] ?? 0) });
      }
      const n = size(target, depth);
      aliasNodes += n;
      if (aliasNodes > YAML_LIMITS.maxAliasNodes) {
        throw new UserError({
          severity: 'error',
          summary: `aliases expand to more than ${YAML_LIMITS.maxAliasNodes} values`,
          detail: 'Refused, not expanded: a file whose aliases multiply (a "billion laughs" file) would take the machine\'s memory. Repeat less, or use variables.',
          source: at(node.range?.[0] ?? 0),
        });
      }
      return n;
    }
    const n0 = node as Node;
    const hit = memo.get(n0);
    if (hit !== undefined) return hit;
    open.add(n0);
    let n = 1;
    if (isMap(node)) for (const p of node.items) n += isPair(p) ? size(p.key, depth + 1) + size(p.value, depth + 1) : 1;
    else if (isSeq(node)) for (const item of node.items) n += size(item, depth + 1);
    open.delete(n0);
    memo.set(n0, n);
    return n;
  };
  return size(doc.contents, 0);
}
