// The layout is part of the design: folders import one way, so the request path reads as stages.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const SOURCE_ROOTS = ['directives', 'protocol', 'subgraphs', 'supergraph', 'server', 'cli'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** A file's folder, one level under supergraph/ (its stages), else its top-level folder. */
function folderOf(file: string): string {
  const parts = relative(ROOT, file).split('/');
  return parts[0] === 'supergraph' && parts.length > 2 ? `supergraph/${parts[1]}` : parts[0]!;
}

function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const root of SOURCE_ROOTS) {
    for (const file of sources(join(ROOT, root))) {
      const from = folderOf(file);
      const edges = graph.get(from) ?? graph.set(from, new Set()).get(from)!;
      for (const match of readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)'/gm)) {
        const to = folderOf(resolve(dirname(file), match[1]!));
        if (to !== from) edges.add(to);
      }
    }
  }
  return graph;
}

function cycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const found = visit(node);
    if (found) return found;
  }
  return null;
}

describe('the layout', () => {
  it('has no import cycle between folders', () => {
    expect(cycle(folderGraph())).toBeNull();
  });

  it('keeps the shared vocabulary and the providers free of the operator’s code', () => {
    const graph = folderGraph();
    expect([...(graph.get('directives') ?? [])]).toEqual([]);
    // What gateway and providers exchange (the caller assertion, the audit checkpoint) is shared, and depends on nothing.
    expect([...(graph.get('protocol') ?? [])]).toEqual([]);
    expect([...(graph.get('subgraphs') ?? [])].filter((f) => f !== 'directives' && f !== 'protocol')).toEqual([]);
  });
});
