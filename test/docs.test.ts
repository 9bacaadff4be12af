// The README and docs/ hold together: every relative link leads to a file that exists (and to a
// heading there, when it names one), and every block of output is either one a test reproduces
// (the README's example outputs, run by readme-examples) or marked `<!-- illustration -->`.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readmeExamples } from './support/readme-examples.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const text = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** Info strings of blocks that show what something printed or answered rather than what to type. */
const OUTPUT_INFO = new Set(['', 'json', 'text', 'console', 'output']);
/** A shell prompt: `$ cmd`, `/srv/op$ cmd`, `~/housing$ cmd`. */
const PROMPT = /^\s*[\w~/.-]*\$ /m;
const ILLUSTRATION = '<!-- illustration -->';

interface Block {
  file: string;
  line: number;
  info: string;
  body: string;
  /** The nearest non-blank line above the opening fence. */
  above: string;
}

interface Parsed {
  blocks: Block[];
  /** The lines outside fenced blocks. */
  prose: { line: number; text: string }[];
}

function parse(file: string): Parsed {
  const lines = text(file).split('\n');
  const blocks: Block[] = [];
  const prose: Parsed['prose'] = [];
  let open: { fence: string; line: number; info: string; above: string; body: string[] } | undefined;
  lines.forEach((line, i) => {
    const fence = /^\s*(`{3,}|~{3,})\s*([^`\s]*)/.exec(line);
    if (open) {
      if (fence && fence[1]!.startsWith(open.fence) && !fence[2]) {
        blocks.push({ file, line: open.line, info: open.info, body: open.body.join('\n'), above: open.above });
        open = undefined;
      } else open.body.push(line);
    } else if (fence) {
      const above = lines.slice(0, i).reverse().find((l) => l.trim() !== '') ?? '';
      open = { fence: fence[1]!, line: i + 1, info: fence[2]!.toLowerCase(), above: above.trim(), body: [] };
    } else prose.push({ line: i + 1, text: line });
  });
  if (open) throw new Error(`${file}:${open.line}: a fenced block is never closed`);
  return { blocks, prose };
}

/** GitHub's heading anchors: the rendered text lower-cased, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(parsed: Parsed): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const { text: line } of parsed.prose) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const rendered = heading[1]!.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = rendered.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

const parsed = new Map(DOCS.map((file) => [file, parse(file)]));

describe('the documentation', () => {
  it('is the README and the documents in docs/', () => {
    expect(DOCS).toEqual(expect.arrayContaining(['README.md', 'docs/errors.md', 'docs/configuration.md', 'docs/provider.md', 'docs/provider-protocol.md']));
  });

  it('links only to files that exist, and to headings they have', () => {
    const broken: string[] = [];
    for (const [file, { prose }] of parsed) {
      for (const { line, text: content } of prose) {
        const withoutCode = content.replace(/`[^`]*`/g, '');
        for (const [, target] of withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
          if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue; // https:, mailto:
          const [path, anchor] = target!.split('#') as [string, string | undefined];
          const resolved = path ? relative(ROOT, join(ROOT, dirname(file), decodeURIComponent(path))) : file;
          if (!existsSync(join(ROOT, resolved))) {
            broken.push(`${file}:${line}: ${target} (no file ${resolved})`);
            continue;
          }
          if (anchor === undefined || !resolved.endsWith('.md')) continue;
          const headings = anchors(parsed.get(resolved) ?? parse(resolved));
          if (!headings.has(anchor)) broken.push(`${file}:${line}: ${target} (no heading #${anchor} in ${resolved})`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('shows no block of output that is neither reproduced by a test nor marked as an illustration', () => {
    const reproduced = readmeExamples().map((example) => example.output);
    expect(reproduced.length).toBeGreaterThanOrEqual(3);
    const unmarked: string[] = [];
    const markedButTested: string[] = [];
    for (const { blocks } of parsed.values()) {
      for (const block of blocks) {
        if (!OUTPUT_INFO.has(block.info) && !PROMPT.test(block.body)) continue;
        const tested = block.file === 'README.md' && block.info === 'json' && reproduced.some((output) => {
          try {
            return JSON.stringify(JSON.parse(block.body)) === JSON.stringify(output);
          } catch {
            return false;
          }
        });
        const marked = block.above === ILLUSTRATION;
        if (!tested && !marked) unmarked.push(`${block.file}:${block.line}`);
        if (tested && marked) markedButTested.push(`${block.file}:${block.line}`);
      }
    }
    expect(unmarked, 'mark each with <!-- illustration --> on the line above, or have a test reproduce it').toEqual([]);
    expect(markedButTested).toEqual([]);
  });

  it('puts every illustration marker right above a fenced block', () => {
    const stray: string[] = [];
    for (const file of DOCS) {
      const lines = text(file).split('\n');
      lines.forEach((line, i) => {
        if (line.trim() === ILLUSTRATION && !/^\s*(`{3,}|~{3,})/.test(lines[i + 1] ?? '')) stray.push(`${file}:${i + 1}`);
      });
    }
    expect(stray).toEqual([]);
  });
});
