// Prints one plain closing line, "Tests: N passed, N failed, N skipped", after
// vitest's own summary, so any reader of the log (CI included) can count results.
import type { Reporter, TestModule } from 'vitest/node';

export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    // A file can fail outside any test (a hook, an import): count it, or the line would say 0 failed.
    let filesFailedOutsideTests = 0;
    for (const module of testModules) {
      let failedHere = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') failedHere++;
        else counts.skipped++;
      }
      counts.failed += failedHere;
      if (failedHere === 0 && module.state() === 'failed') filesFailedOutsideTests++;
    }
    const outside = filesFailedOutsideTests ? `, ${filesFailedOutsideTests} file(s) failed outside a test` : '';
    console.log(`\nTests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped${outside}`);
  }
}
