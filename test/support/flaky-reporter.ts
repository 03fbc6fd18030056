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
    if (!diagnostic?.flaky) return;
    // The failed tries' errors stay on the task: what lost the race, and where.
    // (`task` is the runner's record under the public TestCase; vitest's types leave it out.)
    const { task } = testCase as unknown as { task: { result?: { errors?: { message: string; stack?: string }[] } } };
    const errors = (task.result?.errors ?? []).map((e) => {
      const lines = (e.stack ?? e.message).split('\n').filter((line) => !line.includes('node_modules'));
      return `    ${lines.slice(0, 6).join('\n    ')}\n`;
    });
    this.flaky.push(`${relative(process.cwd(), testCase.module.moduleId)}: ${testCase.fullName} (${diagnostic.retryCount} retries)\n${errors.join('')}`);
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>): void {
    if (this.flaky.length === 0) return;
    process.stdout.write(`\nFLAKY: ${this.flaky.length} test(s) passed only on retry:\n${this.flaky.map((entry) => `  ${entry}`).join('')}`);
  }
}
