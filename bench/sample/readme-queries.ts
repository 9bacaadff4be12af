// Scenario 2's queries and their expected answers: the README's `# example:` blocks, each with the
// output the default city must produce (test/readme-examples.test.ts keeps them true), and the
// fan-out query of scenario 3.

import { readFileSync } from 'node:fs';

export interface ReadmeQuery {
  title: string;
  query: string;
  expected: { data: unknown };
}

const README = new URL('../../README.md', import.meta.url);

export function readmeQueries(readme = readFileSync(README, 'utf8')): ReadmeQuery[] {
  const pattern = /```graphql\n(# example: ([^\n]+)\n[\s\S]*?)```\s*\n(?:[^`]*?\n)?```json\n([\s\S]*?)```/g;
  return [...readme.matchAll(pattern)].map((m) => ({ title: m[2]!.trim(), query: m[1]!, expected: JSON.parse(m[3]!) as { data: unknown } }));
}

/** N enterprises with their legal representative, tax rating and insured count. */
export function fanOutQuery(n: number): string {
  return `{ enterprises(first: ${n}) { creditCode name taxCreditRating insuredEmployees legalRepresentative { name } } }`;
}
