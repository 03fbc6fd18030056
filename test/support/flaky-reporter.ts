import { relative } from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';

/**
 * Names every test that passed only when retried (CI retries a failed test once). Such a test is
 * a race: in the oracle (real bash or redis timing on a loaded machine) or in the test itself.
 * The list ends the run so that it is read and the race fixed, not forgotten.
 */
export default class FlakyReporter implements Reporter {
  private readonly flaky: string[] = [];

  onTestCaseResult(testCase: TestCase): void {
    const diagnostic = testCase.diagnostic();
    if (diagnostic?.flaky) this.flaky.push(`${relative(process.cwd(), testCase.module.moduleId)}: ${testCase.fullName} (${diagnostic.retryCount} retries)`);
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>): void {
    if (this.flaky.length === 0) return;
    process.stdout.write(`\nFLAKY: ${this.flaky.length} test(s) passed only on retry:\n${this.flaky.map((line) => `  ${line}\n`).join('')}`);
  }
}
