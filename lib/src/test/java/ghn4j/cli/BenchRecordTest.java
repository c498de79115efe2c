package ghn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmarks keep their raw output in a file; help, version and the bare {@code bench} group do not
 * leave one behind (they did: {@code ./ghn4j bench} wrote an empty-looking record).
 */
class BenchRecordTest {

  @TempDir Path dir;

  @Test
  void onlyBenchmarksAreRecorded() {
    assertEquals("bench-ghn", BenchRecord.recordName(new String[] {"bench", "ghn", "--runs", "2"}));
    assertEquals(
        "bench-workers", BenchRecord.recordName(new String[] {"--debug", "bench", "workers"}));
    assertEquals(
        "bench-train", BenchRecord.recordName(new String[] {"bench-train", "--steps", "3"}));
    assertNull(BenchRecord.recordName(new String[] {"bench"}));
    assertNull(BenchRecord.recordName(new String[] {"bench", "-h"}));
    assertNull(BenchRecord.recordName(new String[] {"bench", "ghn", "--help"}));
    assertNull(BenchRecord.recordName(new String[] {"bench", "-V"}));
    assertNull(BenchRecord.recordName(new String[] {"eval", "--ckpt", "x"}));
  }

  @Test
  void aRecordHoldsTheCommandLineAndTheOutput() throws Exception {
    try (BenchRecord r = BenchRecord.startIfBenchmark(new String[] {"bench", "ghn"}, dir)) {
      System.out.println("a table row");
    }
    try (Stream<Path> files = Files.list(dir)) {
      Path f = files.findFirst().orElseThrow();
      assertTrue(f.getFileName().toString().startsWith("bench-ghn-"), f.toString());
      String text = Files.readString(f);
      assertTrue(text.startsWith("$ ./ghn4j bench ghn\n") && text.contains("a table row"), text);
    }
    assertNull(BenchRecord.startIfBenchmark(new String[] {"bench"}, dir));
  }

  @Test
  void bareBenchPrintsItsUsageUnderItsFullName() {
    StringWriter err = new StringWriter();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.out;
    System.setOut(new java.io.PrintStream(out, true));
    int code;
    try {
      code = Main.run(new String[] {"bench"}, new PrintWriter(err, true));
    } finally {
      System.setOut(old);
    }
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("Usage: ghn4j bench"), out.toString());
  }
}
