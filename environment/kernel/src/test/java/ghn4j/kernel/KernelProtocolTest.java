package ghn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.kernel.KernelClient.Exchange;
import ghn4j.kernel.KernelClient.Msg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Talks to the kernel over the Jupyter wire protocol, as Jupyter does: the kernel runs as a
 * subprocess ({@link Main}) with a generated connection file; requests are signed with HMAC-SHA256
 * and replies are checked, signature included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KernelProtocolTest {
  private Path workDir;
  private KernelClient kernel;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    workDir = dir;
    kernel = new KernelClient(workDir, workDir.resolve("kernel.log"));
    System.out.println(
        "kernel start-up (process start to kernel_info_reply): "
            + kernel.startup().toMillis()
            + " ms");
  }

  @AfterAll
  void stop() throws Exception {
    if (kernel != null) {
      kernel.close();
    }
  }

  @Test
  void lastExpressionIsTheResult() {
    long t0 = System.nanoTime();
    Exchange x = kernel.execute("int a1 = 20;\na1 + 22");
    System.out.println("first cell result: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    assertEquals("ok", x.status());
    assertEquals("42", x.result().text("data", "text/plain"));
  }

  @Test
  void trailingSemicolonHidesTheValue() {
    Exchange x = kernel.execute("Math.max(1, 2);");
    assertEquals("ok", x.status());
    assertNull(x.result(), "a trailing ';' suppresses the result");
  }

  @Test
  void stdoutAndStderrAreStreamed() {
    Exchange x = kernel.execute("System.out.println(\"to out\");\nSystem.err.println(\"to err\");");
    assertEquals("ok", x.status());
    assertEquals("to out\n", x.stdout());
    assertTrue(
        x.of("stream").stream()
            .anyMatch(m -> "stderr".equals(m.text("name")) && m.text("text").contains("to err")));
  }

  @Test
  void compileErrorNamesTheCellLine() {
    Exchange x = kernel.execute("int ok1 = 1;\n\nint bad = noSuchVariable + 1;");
    assertEquals("error", x.status());
    Msg error = x.error();
    assertNotNull(error);
    String evalue = error.text("evalue");
    assertTrue(evalue.startsWith("line 3: cannot find symbol"), evalue);
    String traceback = String.join("\n", strings(error, "traceback"));
    assertTrue(traceback.contains("int bad = noSuchVariable + 1;"), traceback);
  }

  @Test
  void exceptionNamesTheLineAndTrimsTheStackTrace() {
    kernel.execute("void fail(String why) {\n    throw new IllegalStateException(why);\n}");
    Exchange x =
        kernel.execute("int before = 1;\n// a comment line\nfail(\"boom\");\nint after = 2;");
    assertEquals("error", x.status());
    String evalue = x.error().text("evalue");
    assertTrue(evalue.startsWith("line 3: java.lang.IllegalStateException: boom"), evalue);
    List<String> traceback = strings(x.error(), "traceback");
    assertEquals("java.lang.IllegalStateException: boom", traceback.get(0));
    assertTrue(
        traceback.get(1).matches("    at fail \\(In \\[\\d+], line 2\\)"), traceback.toString());
    assertEquals("    at line 3", traceback.get(2));
    assertEquals(3, traceback.size(), "frames below the notebook code are cut: " + traceback);
    assertEquals(
        "error", kernel.execute("after").status(), "statements after the failing one do not run");
  }

  @Test
  void statementsAndCellsShareOneThread() {
    // PyTorch grad mode is thread-local: a ThreadLocal set in one statement must be visible in the
    // next ones.
    Exchange set =
        kernel.execute(
            "ThreadLocal<String> mode = new ThreadLocal<>();\nmode.set(\"on\");\n"
                + "long thread1 = Thread.currentThread().getId();\nmode.get()");
    assertEquals("on", set.result().text("data", "text/plain"));
    Exchange next =
        kernel.execute("mode.get() + \" \" + (Thread.currentThread().getId() == thread1)");
    assertEquals("on true", next.result().text("data", "text/plain"));
  }

  @Test
  void displayMidCellAndUpdateDisplay() {
    Exchange x =
        kernel.execute(
            "String shown = display(markdown(\"**first**\"));\n"
                + "System.out.println(\"between\");\n"
                + "updateDisplay(shown, html(\"<b>second</b>\"));\n"
                + "shown");
    assertEquals("ok", x.status());
    List<String> order =
        x.iopub().stream()
            .map(Msg::type)
            .filter(t -> !t.equals("status") && !t.equals("execute_input"))
            .toList();
    assertEquals(List.of("display_data", "stream", "update_display_data", "execute_result"), order);
    Msg display = x.of("display_data").get(0);
    assertEquals("**first**", display.text("data", "text/markdown"));
    String id = display.text("transient", "display_id");
    assertEquals(id, x.result().text("data", "text/plain"));
    Msg update = x.of("update_display_data").get(0);
    assertEquals(id, update.text("transient", "display_id"));
    assertEquals("<b>second</b>", update.text("data", "text/html"));
  }

  @Test
  void imagesRenderAsPng() {
    Exchange x =
        kernel.execute(
            "var img = new java.awt.image.BufferedImage(4, 3, java.awt.image.BufferedImage.TYPE_INT_RGB);\nimg");
    assertEquals("ok", x.status());
    byte[] png = Base64.getDecoder().decode(x.result().text("data", "image/png"));
    assertEquals((byte) 0x89, png[0]);
    assertEquals("PNG", new String(png, 1, 3));
  }

  @Test
  void classpathMagicAddsADirectoryRelativeToTheWorkingDirectory() throws Exception {
    Path src = Files.createDirectories(workDir.resolve("src/demo"));
    Files.writeString(
        src.resolve("Hello.java"),
        "package demo; public class Hello { public String greet() { return \"hi\"; } }");
    Path classes = Files.createDirectories(workDir.resolve("classes"));
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-d", classes.toString(), src.resolve("Hello.java").toString());
    assertEquals(0, rc);
    Exchange x = kernel.execute("%classpath classes\nnew demo.Hello().greet()");
    assertEquals("ok", x.status(), () -> String.valueOf(x.error()));
    assertEquals("hi", x.result().text("data", "text/plain"));
  }

  @Test
  void missingJarAndMavenArtifactAreNamed() {
    Exchange jars = kernel.execute("%jars no/such/*.jar");
    assertEquals("error", jars.status());
    assertTrue(jars.error().text("evalue").contains("no/such/*.jar"), jars.error().text("evalue"));
    Exchange maven = kernel.execute("%maven org.example.missing:nothing:9.9.9");
    assertEquals("error", maven.status());
    assertTrue(
        maven.error().text("evalue").contains("org.example.missing:nothing:9.9.9"),
        maven.error().text("evalue"));
  }

  @Test
  void loadMagicEvaluatesAFile() throws Exception {
    Files.writeString(workDir.resolve("helpers.jsh"), "int triple(int x) { return 3 * x; }\n");
    Exchange x = kernel.execute("%load helpers.jsh\ntriple(14)");
    assertEquals("ok", x.status(), () -> String.valueOf(x.error()));
    assertEquals("42", x.result().text("data", "text/plain"));
  }

  @Test
  void interruptStopsASleepingCell() throws Exception {
    long t0 = System.nanoTime();
    Exchange x = kernel.executeAndInterrupt("Thread.sleep(30_000);\nint neverRuns = 1;", 1000);
    assertTrue((System.nanoTime() - t0) / 1e9 < 15, "the interrupt ended the sleep");
    assertEquals("error", x.status());
    assertTrue(x.error().text("evalue").contains("InterruptedException"), x.error().text("evalue"));
    assertEquals("ok", kernel.execute("1").status(), "the kernel runs cells after an interrupt");
    assertEquals("error", kernel.execute("neverRuns").status());
  }

  @Test
  void completion() {
    Exchange x = kernel.execute("int unused = 0;"); // make sure JShell is up
    assertEquals("ok", x.status());
    String code = "int a = 1;\nMath.ma";
    Exchange c = kernel.complete(code, code.length());
    List<String> matches = strings(c.reply(), "matches");
    assertTrue(matches.stream().anyMatch(m -> m.startsWith("max(")), matches.toString());
    assertEquals(code.length() - 2, c.reply().content().get("cursor_start").getAsInt());
  }

  @Test
  void chartsAndTablesFromMavenJarsRenderThroughReflection() {
    // the same versions as lib/ (so they are in the local repository after the lib build)
    Exchange load =
        kernel.execute("%maven org.knowm.xchart:xchart:3.8.8 tech.tablesaw:tablesaw-core:0.44.4");
    assertEquals("ok", load.status(), () -> String.valueOf(load.error()));
    Exchange chart =
        kernel.execute(
            "org.knowm.xchart.QuickChart.getChart(\"t\", \"x\", \"y\", \"s\", "
                + "new double[] {1, 2, 3}, new double[] {1, 4, 9})");
    assertEquals("ok", chart.status(), () -> String.valueOf(chart.error()));
    byte[] png = Base64.getDecoder().decode(chart.result().text("data", "image/png"));
    assertEquals("PNG", new String(png, 1, 3));
    Exchange table =
        kernel.execute(
            "tech.tablesaw.api.Table.create(\"scores\", "
                + "tech.tablesaw.api.IntColumn.create(\"epoch\", java.util.stream.IntStream.range(0, 60).toArray()))");
    assertEquals("ok", table.status(), () -> String.valueOf(table.error()));
    String html = table.result().text("data", "text/html");
    assertTrue(
        html.contains("<th>epoch</th>")
            && html.contains("<td>49</td>")
            && !html.contains("<td>50</td>"),
        html);
    assertTrue(html.contains("60 rows"), html);
  }

  @Test
  void bashCellMagicStreamsOutput() {
    Exchange x = kernel.execute("%%bash\necho \"hi from $(basename \"$PWD\")\"");
    assertEquals("ok", x.status(), () -> String.valueOf(x.error()));
    assertEquals("hi from " + workDir.getFileName() + "\n", x.stdout());
    assertEquals("error", kernel.execute("%%sh\nexit 3").status());
  }

  @Test
  void unknownMagicIsAnError() {
    Exchange x = kernel.execute("%nosuchmagic 1");
    assertEquals("error", x.status());
    assertFalse(x.error().text("evalue").isBlank());
  }

  private static List<String> strings(Msg m, String field) {
    List<String> out = new java.util.ArrayList<>();
    m.content().getAsJsonArray(field).forEach(e -> out.add(e.getAsString()));
    return out;
  }
}
