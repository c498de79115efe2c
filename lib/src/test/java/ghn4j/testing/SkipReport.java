package ghn4j.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints, at the end of a test run, how many tests were skipped and why (assumption messages such
 * as "missing: ..." from {@link Fixtures#require}, or the {@code @Disabled} reason), so a green run
 * cannot hide skipped tests. Registered through {@code META-INF/services}.
 */
public final class SkipReport implements TestExecutionListener {

  private final List<String> skipped = new ArrayList<>();

  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    skipped.add(name(test) + ": " + reason);
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      skipped.add(
          name(test) + ": " + result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan plan) {
    System.out.println(
        "[skip report] " + skipped.size() + " test(s) skipped" + (skipped.isEmpty() ? "" : ":"));
    skipped.forEach(s -> System.out.println("[skip report]   " + s));
  }

  private static String name(TestIdentifier t) {
    String id = t.getLegacyReportingName();
    return t.getSource()
        .map(Object::toString)
        .filter(s -> s.contains("className"))
        .map(
            s -> {
              int a = s.indexOf("className = '") + 13;
              int b = s.indexOf('\'', a);
              String cls = s.substring(a, b);
              return cls.substring(cls.lastIndexOf('.') + 1) + "." + id;
            })
        .orElse(id);
  }
}
