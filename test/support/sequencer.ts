// The order files start in: vitest's own (failed and slow files first, by its results cache), except
// that the federation audit, which runs for minutes on a worker of its own, always starts first, also
// on a clean clone, where vitest has no timings yet and would start the largest files first.

import { BaseSequencer, type TestSpecification } from 'vitest/node';

const FIRST = 'test/federation-audit.test.ts';

export default class AuditFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = sorted.filter((spec) => spec.moduleId.endsWith(FIRST));
    return [...first, ...sorted.filter((spec) => !first.includes(spec))];
  }
}
