// The README's sample-domain queries: every ```graphql block that opens with `# example:` and
// the ```json block right after it, which is the output the default city must produce.

import { readFileSync } from 'node:fs';

export interface ReadmeExample {
  title: string;
  query: string;
  output: unknown;
}

export function readmeExamples(readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')): ReadmeExample[] {
  const examples: ReadmeExample[] = [];
  const pattern = /```graphql\n(# example: ([^\n]+)\n[\s\S]*?)```\s*\n(?:[^`]*?\n)?```json\n([\s\S]*?)```/g;
  for (const match of readme.matchAll(pattern)) {
    examples.push({ title: match[2]!.trim(), query: match[1]!, output: JSON.parse(match[3]!) });
  }
  return examples;
}
