package ghn4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import picocli.CommandLine;

/**
 * Runs a picocli command line in this JVM the way a test reads it: standard output and error
 * captured together (and echoed, for the test log), the exit code checked.
 */
public final class CommandRun {

  private CommandRun() {}

  /**
   * Executes {@code line} with {@code args}, asserts that it exits with {@code expected} (the
   * message shows what it printed) and returns what it printed on stdout and stderr.
   */
  public static String run(CommandLine line, int expected, String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    PrintStream p = new PrintStream(buf, true);
    int rc;
    try {
      System.setOut(p);
      System.setErr(p);
      rc = line.execute(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    String text = buf.toString();
    oldOut.print(text);
    assertEquals(expected, rc, text);
    return text;
  }
}
