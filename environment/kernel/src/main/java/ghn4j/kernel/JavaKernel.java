package ghn4j.kernel;

import ghn4j.kernel.CellException.CompilationException;
import ghn4j.kernel.CellException.EvaluationException;
import ghn4j.kernel.CellException.MagicException;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/**
 * The ghn4j Jupyter kernel for Java: JShell on {@code jupyter-jvm-basekernel}, with IJava's
 * notebook functions and magics, built for DJL/PyTorch work.
 *
 * <h2>Execution</h2>
 *
 * A cell is split into JShell snippets with {@code analyzeCompletion} and evaluated one by one, in
 * order, on the kernel's shell thread ({@link SameThreadExecution}: thread-local state such as
 * PyTorch's grad mode survives from one statement and cell to the next). Line magics ({@code
 * %jars}, {@code %classpath}, {@code %load}, {@code %maven}) are lines starting with {@code %}
 * between statements and run at their place in the cell; a cell starting with {@code %%bash} or
 * {@code %%sh} is a shell script. The value of the cell's last snippet, if it is an expression not
 * followed by {@code ;}, is the cell's result, rendered from the real object (see {@link
 * Rendering}). The first failing snippet stops the cell: compile errors and exceptions name the
 * line in the cell, and stack traces are cut below the user's code.
 *
 * <h2>Interrupt</h2>
 *
 * The kernelspec uses {@code interrupt_mode: message} (a SIGINT would end the JVM). An interrupt
 * request interrupts the kernel's thread while user code runs ({@link Thread#interrupt()}: sleeps,
 * waits and interruptible I/O throw, loops that check {@link Thread#interrupted()} can stop) and
 * stops the cell before its next statement. A statement that never checks for interrupts, such as a
 * tight loop or a long native PyTorch call, cannot be stopped: it runs in the kernel's own thread
 * (the price of {@link SameThreadExecution}); restart the kernel instead.
 */
public final class JavaKernel extends BaseKernel implements AutoCloseable {
  private static final Pattern LINE_MAGIC =
      Pattern.compile("^[ \\t]*%(?!%)([A-Za-z_][\\w-]*)(.*)$");
  private static final Pattern CELL_MAGIC =
      Pattern.compile("^\\s*%%([A-Za-z_][\\w-]*)([^\\n]*)\\n?");
  private static final String SESSION_INIT = "/ghn4j/kernel/session-init.jsh";

  private final Path workingDirectory;
  private final Rendering rendering;
  private final LocalMavenRepository maven;
  private final CompletableFuture<Session> session;

  /**
   * Where each snippet came from (snippet id to origin), to turn JShell positions into cell lines.
   */
  private final Map<String, Origin> origins = new HashMap<>();

  private final LanguageInfo languageInfo;
  private volatile boolean interruptRequested;

  /** The JShell session and its execution control. */
  private record Session(JShell shell, SameThreadExecution.Control control) {}

  /**
   * A source of snippets: a cell ({@code In [n]}) or a loaded file, and the line its snippet starts
   * on.
   */
  private record Origin(String source, boolean isCell, int firstLine) {
    String where(String currentCell, int lineInSnippet) {
      int line = firstLine + Math.max(lineInSnippet, 1) - 1;
      return source.equals(currentCell) ? "line " + line : source + ", line " + line;
    }
  }

  /** The outcome of running code: whether it ended with a displayable value, and the value. */
  private static final class Outcome {
    boolean hasValue;
    Object value;

    void set(Object newValue) {
      hasValue = true;
      value = newValue;
    }

    void clear() {
      hasValue = false;
      value = null;
    }
  }

  /**
   * Creates a kernel whose relative paths (in magics) resolve against {@code workingDirectory};
   * starts its JShell session in the background (cells wait for it).
   */
  public JavaKernel(Path workingDirectory) {
    this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
    this.rendering = new Rendering(renderer);
    this.maven = LocalMavenRepository.standard();
    this.languageInfo =
        new LanguageInfo.Builder("Java")
            .version(Runtime.version().toString())
            .mimetype("text/x-java-source")
            .fileExtension(".jshell")
            .pygments("java")
            .codemirror("text/x-java")
            .build();
    Notebook.attach(this);
    this.session =
        CompletableFuture.supplyAsync(
            this::startSession,
            task -> {
              Thread thread = new Thread(task, "ghn4j-jshell-start");
              thread.setDaemon(true);
              thread.start();
            });
  }

  private Session startSession() {
    SameThreadExecution engine = new SameThreadExecution();
    JShell shell = JShell.builder().executionEngine(engine, Map.of()).build();
    shell.addToClasspath(ownLocation().toString());
    String init = resource(SESSION_INIT);
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String rest = init;
    while (!rest.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
      if (info.completeness() == Completeness.EMPTY) {
        break;
      }
      for (SnippetEvent event : shell.eval(info.source())) {
        if (event.status() == Snippet.Status.REJECTED || event.exception() != null) {
          String problems =
              shell
                  .diagnostics(event.snippet())
                  .map(d -> d.getMessage(Locale.ROOT))
                  .collect(Collectors.joining("; "));
          throw new IllegalStateException(
              "session start-up snippet failed: " + info.source().strip() + " (" + problems + ")",
              event.exception());
        }
      }
      rest = info.remaining();
    }
    return new Session(shell, engine.control());
  }

  private static Path ownLocation() {
    try {
      return Path.of(JavaKernel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the kernel's own jar", e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = JavaKernel.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("kernel resource missing: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read kernel resource " + name, e);
    }
  }

  private Session session() throws EvaluationException {
    try {
      return session.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new EvaluationException(
          "JShell did not start: " + cause, List.of("JShell did not start: " + cause));
    }
  }

  /** Waits until the JShell session is ready (or failed), e.g. to measure start-up. */
  public void awaitSession() throws EvaluationException {
    session();
  }

  @Override
  public LanguageInfo getLanguageInfo() {
    return languageInfo;
  }

  @Override
  public String getBanner() {
    return "Java " + Runtime.version() + " (ghn4j kernel, JShell on the kernel thread)";
  }

  /*
   * ========================= evaluation =========================
   */

  @Override
  public DisplayData eval(String code) throws Exception {
    Session s = session();
    String cell = "In [" + (executionCount.get() - 1) + "]";
    interruptRequested = false;
    Thread.interrupted(); // a late interrupt of the previous cell must not hit this one
    try {
      Outcome outcome = new Outcome();
      Matcher cellMagic = CELL_MAGIC.matcher(code);
      if (cellMagic.lookingAt()) {
        runCellMagic(
            cellMagic.group(1), splitArgs(cellMagic.group(2)), code.substring(cellMagic.end()));
      } else {
        runSource(s, code, cell, true, cell, outcome);
      }
      return outcome.hasValue ? rendering.render(outcome.value) : null;
    } finally {
      Thread.interrupted();
    }
  }

  /** Runs code with line magics: magic lines between complete statements run in place. */
  private void runSource(
      Session s, String code, String source, boolean isCell, String currentCell, Outcome outcome)
      throws Exception {
    Lines lines = new Lines(code);
    int chunkStart = 0;
    int offset = 0;
    for (String line : code.split("\n", -1)) {
      int lineEnd = Math.min(code.length(), offset + line.length() + 1);
      Matcher magic = LINE_MAGIC.matcher(line);
      if (magic.matches() && endsComplete(s, code.substring(chunkStart, offset))) {
        runCode(s, lines, chunkStart, offset, source, isCell, currentCell, outcome);
        if (interruptRequested) {
          throw interrupted(lines.lineOf(offset), source, currentCell);
        }
        outcome.clear();
        runLineMagic(s, magic.group(1), splitArgs(magic.group(2)), currentCell, outcome);
        chunkStart = lineEnd;
      }
      offset = lineEnd;
    }
    runCode(s, lines, chunkStart, code.length(), source, isCell, currentCell, outcome);
  }

  private static boolean endsComplete(Session s, String code) {
    String rest = code;
    SourceCodeAnalysis analysis = s.shell.sourceCodeAnalysis();
    while (!rest.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
      switch (info.completeness()) {
        case EMPTY:
          return true;
        case DEFINITELY_INCOMPLETE:
        case CONSIDERED_INCOMPLETE:
          return false;
        default:
          if (info.remaining().length() >= rest.length()) {
            return true;
          }
          rest = info.remaining();
      }
    }
    return true;
  }

  /** Splits {@code text[from, to)} into snippets and evaluates them in order. */
  private void runCode(
      Session s,
      Lines lines,
      int from,
      int to,
      String source,
      boolean isCell,
      String currentCell,
      Outcome outcome)
      throws Exception {
    SourceCodeAnalysis analysis = s.shell.sourceCodeAnalysis();
    String rest = lines.text.substring(from, to);
    int base = from;
    while (!rest.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
      String snippet;
      int consumed;
      switch (info.completeness()) {
        case EMPTY:
          return;
        case DEFINITELY_INCOMPLETE:
        case CONSIDERED_INCOMPLETE:
          snippet = rest; // JShell's diagnostics say what is missing
          consumed = rest.length();
          break;
        default:
          snippet = info.source();
          consumed = Math.max(1, rest.length() - info.remaining().length());
      }
      int lead = 0;
      while (lead < snippet.length() && Character.isWhitespace(snippet.charAt(lead))) {
        lead++;
      }
      int snippetStart = base + lead;
      if (interruptRequested) {
        throw interrupted(lines.lineOf(snippetStart), source, currentCell);
      }
      evalSnippet(
          s, lines, snippet.substring(lead), snippetStart, source, isCell, currentCell, outcome);
      base += consumed;
      rest = rest.substring(Math.min(consumed, rest.length()));
    }
  }

  private void evalSnippet(
      Session s,
      Lines lines,
      String code,
      int start,
      String source,
      boolean isCell,
      String currentCell,
      Outcome outcome)
      throws Exception {
    outcome.clear();
    s.control.clearLastValue();
    List<SnippetEvent> events = s.shell.eval(code);
    Snippet main = null;
    for (SnippetEvent event : events) {
      if (event.causeSnippet() != null) {
        continue; // a dependent snippet that was updated
      }
      Snippet snippet = event.snippet();
      main = snippet;
      origins.put(snippet.id(), new Origin(source, isCell, lines.lineOf(start)));
      if (event.status() == Snippet.Status.REJECTED) {
        throw compilationError(s, snippet, lines, start, source, currentCell);
      }
      if (event.exception() != null) {
        throw evaluationError(s, event.exception(), currentCell);
      }
      if (event.status() == Snippet.Status.RECOVERABLE_DEFINED
          || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
        warnUnresolved(s, snippet, lines.lineOf(start));
      }
    }
    if (main == null) {
      throw new CompilationException(
          where(source, currentCell, lines.lineOf(start)) + ": not Java code JShell understands",
          List.of("cannot evaluate:", "    " + code.strip()));
    }
    boolean expression =
        main instanceof ExpressionSnippet
            || (main instanceof VarSnippet
                && main.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND);
    if (expression
        && main.subKind() != Snippet.SubKind.ASSIGNMENT_SUBKIND
        && !code.stripTrailing().endsWith(";")
        && s.control.hasLastValue()) {
      outcome.set(s.control.takeLastValue());
    }
    s.control.clearLastValue();
  }

  private static String where(String source, String currentCell, int line) {
    return source.equals(currentCell) ? "line " + line : source + ", line " + line;
  }

  private void warnUnresolved(Session s, Snippet snippet, int line) {
    if (snippet instanceof jdk.jshell.DeclarationSnippet declaration) {
      String missing =
          s.shell.unresolvedDependencies(declaration).collect(Collectors.joining(", "));
      System.err.println(
          "note (line "
              + line
              + "): "
              + declaration.name()
              + " was defined but cannot be used until "
              + missing
              + " is defined");
    }
  }

  private CompilationException compilationError(
      Session s, Snippet snippet, Lines lines, int start, String source, String currentCell) {
    List<Diag> errors = s.shell.diagnostics(snippet).filter(Diag::isError).toList();
    List<String> traceback = new ArrayList<>();
    String first = null;
    for (Diag diag : errors) {
      long position = diag.getStartPosition() >= 0 ? diag.getStartPosition() : diag.getPosition();
      int at = start + (int) Math.max(0, Math.min(position, lines.text.length() - start));
      int line = lines.lineOf(at);
      String message = diag.getMessage(Locale.ROOT);
      String place = where(source, currentCell, line);
      if (first == null) {
        first = place + ": " + message.lines().findFirst().orElse(message);
      }
      traceback.add(
          "Compilation error, " + place + ": " + message.lines().findFirst().orElse(message));
      message
          .lines()
          .skip(1)
          .filter(l -> !l.strip().equals("location: class"))
          .forEach(traceback::add);
      String text = lines.line(line);
      traceback.add("    " + text);
      int column = at - lines.startOf(line);
      long end = diag.getEndPosition() >= 0 ? start + diag.getEndPosition() : at + 1;
      int width = (int) Math.max(1, Math.min(end - at, text.length() - column));
      traceback.add("    " + " ".repeat(Math.max(0, column)) + "^".repeat(width));
    }
    if (first == null) {
      first =
          where(source, currentCell, lines.lineOf(start))
              + ": snippet rejected by JShell ("
              + snippet.kind()
              + ")";
      traceback.add(first);
    }
    return new CompilationException(first, traceback);
  }

  private EvaluationException evaluationError(
      Session s, JShellException exception, String currentCell) {
    List<String> traceback = new ArrayList<>();
    String headline;
    if (exception instanceof UnresolvedReferenceException unresolved) {
      String missing =
          s.shell.unresolvedDependencies(unresolved.getSnippet()).collect(Collectors.joining(", "));
      headline =
          "cannot use " + unresolved.getSnippet().name() + ": it references undefined " + missing;
    } else if (exception instanceof EvalException eval) {
      headline =
          eval.getExceptionClassName()
              + (eval.getMessage() != null ? ": " + eval.getMessage() : "");
    } else {
      headline = exception.toString();
    }
    String firstUserFrame = null;
    Throwable current = exception;
    boolean top = true;
    Set<Throwable> visited = new LinkedHashSet<>();
    while (current != null && visited.add(current)) {
      if (!top) {
        String name =
            current instanceof EvalException eval
                ? eval.getExceptionClassName()
                : current.getClass().getName();
        traceback.add(
            "Caused by: "
                + name
                + (current.getMessage() != null ? ": " + current.getMessage() : ""));
      } else {
        traceback.add(headline);
      }
      List<StackTraceElement> frames = userFrames(current.getStackTrace());
      for (StackTraceElement frame : frames) {
        String text = frameText(frame, currentCell);
        traceback.add("    at " + text);
        if (top && isSnippetFrame(frame)) {
          // the evalue names the outermost line of this cell (where the user's cell failed), else
          // the
          // innermost notebook line
          Origin origin = origins.get(frame.getFileName().substring(1));
          boolean inCell = origin != null && origin.source().equals(currentCell);
          if (firstUserFrame == null || inCell) {
            firstUserFrame = snippetLocation(frame, currentCell);
          }
        }
      }
      top = false;
      current = current.getCause();
    }
    String message = (firstUserFrame != null ? firstUserFrame + ": " : "") + headline;
    return new EvaluationException(message, traceback);
  }

  private static boolean isSnippetFrame(StackTraceElement frame) {
    return frame.getFileName() != null && frame.getFileName().startsWith("#");
  }

  /**
   * The frames down to the last one in notebook code; without such a frame, down to the JShell
   * machinery.
   */
  private static List<StackTraceElement> userFrames(StackTraceElement[] frames) {
    int last = -1;
    for (int i = 0; i < frames.length; i++) {
      if (isSnippetFrame(frames[i])) {
        last = i;
      }
    }
    if (last >= 0) {
      return Arrays.asList(frames).subList(0, last + 1);
    }
    List<StackTraceElement> out = new ArrayList<>();
    for (StackTraceElement frame : frames) {
      String c = frame.getClassName();
      if (c.startsWith("jdk.jshell.")
          || c.startsWith("jdk.internal.reflect.")
          || c.startsWith("java.lang.reflect.")
          || c.startsWith("ghn4j.kernel.")) {
        break;
      }
      out.add(frame);
    }
    return out;
  }

  private String snippetLocation(StackTraceElement frame, String currentCell) {
    Origin origin = origins.get(frame.getFileName().substring(1));
    return origin == null
        ? "snippet " + frame.getFileName() + ":" + frame.getLineNumber()
        : origin.where(currentCell, frame.getLineNumber());
  }

  private String frameText(StackTraceElement frame, String currentCell) {
    if (!isSnippetFrame(frame)) {
      return frame.toString();
    }
    String location = snippetLocation(frame, currentCell);
    String method = frame.getMethodName();
    return method == null || method.isEmpty() || method.equals("do_it$")
        ? location
        : method + " (" + location + ")";
  }

  private EvaluationException interrupted(int line, String source, String currentCell) {
    String message = "interrupted before " + where(source, currentCell, line);
    return new EvaluationException(
        message,
        List.of("Interrupted: the cell stopped before " + where(source, currentCell, line)));
  }

  /*
   * ========================= magics =========================
   */

  private void runLineMagic(
      Session s, String name, List<String> args, String currentCell, Outcome outcome)
      throws Exception {
    switch (name) {
      case "jars" -> {
        requireArgs(name, args, "%jars <jar files or globs...>");
        for (String arg : args) {
          List<Path> jars =
              glob(arg).stream().filter(p -> p.getFileName().toString().endsWith(".jar")).toList();
          if (jars.isEmpty()) {
            throw new MagicException(
                "%jars: no jar matches '" + arg + "' (relative to " + workingDirectory + ")");
          }
          jars.forEach(jar -> s.shell.addToClasspath(jar.toString()));
        }
      }
      case "classpath" -> {
        requireArgs(name, args, "%classpath <directories or jars...>");
        for (String arg : args) {
          for (String part : arg.split(File.pathSeparator)) {
            if (part.isBlank()) {
              continue;
            }
            List<Path> paths = glob(part);
            if (paths.isEmpty()) {
              throw new MagicException(
                  "%classpath: '"
                      + part
                      + "' does not exist (relative to "
                      + workingDirectory
                      + ")");
            }
            paths.forEach(p -> s.shell.addToClasspath(p.toString()));
          }
        }
      }
      case "load" -> {
        requireArgs(name, args, "%load <file.jsh or file.java>");
        for (String arg : args) {
          Path file = workingDirectory.resolve(arg).normalize();
          if (!Files.isRegularFile(file)) {
            throw new MagicException("%load: no file " + file);
          }
          runSource(
              s,
              Files.readString(file),
              file.getFileName().toString(),
              false,
              currentCell,
              outcome);
        }
      }
      case "maven" -> {
        requireArgs(name, args, "%maven group:artifact:version ...");
        for (String coordinates : args) {
          LocalMavenRepository.Resolution resolution;
          try {
            resolution = maven.resolve(coordinates);
          } catch (IllegalArgumentException e) {
            throw new MagicException("%maven: " + e.getMessage());
          }
          resolution
              .warnings()
              .forEach(w -> System.err.println("%maven " + coordinates + ": " + w));
          resolution.jars().forEach(jar -> s.shell.addToClasspath(jar.toString()));
        }
      }
      default ->
          throw new MagicException(
              "unknown line magic %"
                  + name
                  + " (available: %jars, %classpath, %load, %maven; cell magics: %%bash, %%sh)");
    }
  }

  private static void requireArgs(String name, List<String> args, String usage)
      throws MagicException {
    if (args.isEmpty()) {
      throw new MagicException("%" + name + " needs arguments: " + usage);
    }
  }

  private void runCellMagic(String name, List<String> args, String body) throws Exception {
    if (!name.equals("bash") && !name.equals("sh")) {
      throw new MagicException("unknown cell magic %%" + name + " (available: %%bash, %%sh)");
    }
    List<String> command = new ArrayList<>(List.of(name, "-s", "--"));
    command.addAll(args);
    Process process = new ProcessBuilder(command).directory(workingDirectory.toFile()).start();
    PrintStream out = System.out;
    PrintStream err = System.err;
    Thread stderr = pump(process.getErrorStream(), err);
    Thread stdout = pump(process.getInputStream(), out);
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(body.getBytes(StandardCharsets.UTF_8));
    }
    int exit;
    try {
      exit = process.waitFor();
      stdout.join();
      stderr.join();
    } catch (InterruptedException e) {
      process.destroy();
      throw new EvaluationException(
          "%%" + name + " interrupted",
          List.of("%%" + name + " interrupted; the script was stopped"));
    }
    if (exit != 0) {
      throw new EvaluationException(
          "%%" + name + " exited with status " + exit,
          List.of("%%" + name + ": the script exited with status " + exit));
    }
  }

  private static Thread pump(InputStream in, PrintStream out) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try (in) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "ghn4j-shell-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * Paths matching a path or glob ({@code *}, {@code ?}, {@code [..]}, {@code {a,b}}, {@code **}),
   * sorted.
   */
  List<Path> glob(String pattern) throws IOException {
    String expanded =
        pattern.startsWith("~/") ? System.getProperty("user.home") + pattern.substring(1) : pattern;
    Path path = workingDirectory.resolve(expanded).normalize();
    if (!expanded.matches(".*[*?\\[{].*")) {
      return Files.exists(path) ? List.of(path) : List.of();
    }
    Path base = path.getRoot();
    int depth = 0;
    boolean inGlob = false;
    for (Path element : path) {
      if (inGlob || element.toString().matches(".*[*?\\[{].*")) {
        inGlob = true;
        depth =
            element.toString().contains("**")
                ? Integer.MAX_VALUE
                : (depth == Integer.MAX_VALUE ? depth : depth + 1);
      } else {
        base = base.resolve(element);
      }
    }
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + path);
    try (Stream<Path> walk = Files.walk(base, depth)) {
      return walk.filter(matcher::matches).sorted().toList();
    }
  }

  /** Splits magic arguments on whitespace, honouring single and double quotes. */
  static List<String> splitArgs(String text) {
    List<String> args = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    char quote = 0;
    boolean any = false;
    for (char ch : text.strip().toCharArray()) {
      if (quote != 0) {
        if (ch == quote) {
          quote = 0;
        } else {
          current.append(ch);
        }
      } else if (ch == '"' || ch == '\'') {
        quote = ch;
        any = true;
      } else if (Character.isWhitespace(ch)) {
        if (any || current.length() > 0) {
          args.add(current.toString());
          current.setLength(0);
          any = false;
        }
      } else {
        current.append(ch);
      }
    }
    if (any || current.length() > 0) {
      args.add(current.toString());
    }
    return args;
  }

  /*
   * ========================= display functions (through Notebook) =========================
   */

  String display(Object value, String... mimeTypes) {
    DisplayData data = rendering.render(value, mimeTypes);
    String id = data.hasDisplayId() ? data.getDisplayId() : UUID.randomUUID().toString();
    if (!data.hasDisplayId()) {
      data = new DisplayData(data);
      data.setDisplayId(id);
    }
    display(data);
    return id;
  }

  DisplayData render(Object value, String... mimeTypes) {
    return rendering.render(value, mimeTypes);
  }

  void updateDisplay(String id, Object value, String... mimeTypes) {
    getIO().display.updateDisplay(id, rendering.render(value, mimeTypes));
  }

  /*
   * ========================= completion, inspection, interrupt =========================
   */

  @Override
  public ReplacementOptions complete(String code, int at) {
    Session s = session.getNow(null);
    if (s == null) {
      return null;
    }
    int start = currentSnippetStart(s, code, at);
    String snippet = code.substring(start, at);
    int[] anchor = new int[1];
    List<String> options =
        s
            .shell
            .sourceCodeAnalysis()
            .completionSuggestions(snippet, snippet.length(), anchor)
            .stream()
            .sorted((a, b) -> Boolean.compare(b.matchesType(), a.matchesType()))
            .map(SourceCodeAnalysis.Suggestion::continuation)
            .distinct()
            .toList();
    return new ReplacementOptions(options, start + anchor[0], at);
  }

  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) {
    Session s = session.getNow(null);
    if (s == null) {
      return null;
    }
    int end = at;
    while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
      end++;
    }
    int start = currentSnippetStart(s, code, end);
    String snippet = code.substring(start, end);
    List<SourceCodeAnalysis.Documentation> docs =
        s.shell.sourceCodeAnalysis().documentation(snippet, snippet.length(), true);
    if (docs.isEmpty()) {
      return null;
    }
    String text =
        docs.stream()
            .map(
                d ->
                    d.signature()
                        + (d.javadoc() != null && !d.javadoc().isBlank()
                            ? "\n\n" + d.javadoc().strip()
                            : ""))
            .collect(Collectors.joining("\n\n" + "-".repeat(40) + "\n\n"));
    return new DisplayData(text);
  }

  /**
   * The offset where the snippet containing {@code at} starts (after complete snippets and magic
   * lines).
   */
  private static int currentSnippetStart(Session s, String code, int at) {
    String before = code.substring(0, at);
    int start = before.lastIndexOf('\n') + 1;
    // skip back over magic lines: the snippet starts after the last magic line before the cursor
    int magicEnd = 0;
    int offset = 0;
    for (String line : before.split("\n", -1)) {
      int end = Math.min(before.length(), offset + line.length() + 1);
      if (LINE_MAGIC.matcher(line).matches() && end <= start) {
        magicEnd = end;
      }
      offset = end;
    }
    int base = magicEnd;
    String rest = before.substring(base);
    SourceCodeAnalysis analysis = s.shell.sourceCodeAnalysis();
    while (!rest.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
      if (info.completeness() == Completeness.EMPTY
          || info.remaining().isBlank()
          || info.remaining().length() >= rest.length()) {
        break;
      }
      base += rest.length() - info.remaining().length();
      rest = info.remaining();
    }
    while (base < at && Character.isWhitespace(code.charAt(base))) {
      base++;
    }
    return base;
  }

  @Override
  public String isComplete(String code) {
    Session s = session.getNow(null);
    if (s == null) {
      return IS_COMPLETE_MAYBE;
    }
    String withoutMagics =
        code.lines()
            .map(l -> LINE_MAGIC.matcher(l).matches() ? "" : l)
            .collect(Collectors.joining("\n"));
    if (CELL_MAGIC.matcher(code).lookingAt()) {
      return IS_COMPLETE_YES;
    }
    return endsComplete(s, withoutMagics) ? IS_COMPLETE_YES : "    ";
  }

  /**
   * See the class comment: interrupts the kernel thread while user code runs and stops the cell at
   * the next statement.
   */
  @Override
  public void interrupt() {
    interruptRequested = true;
    Session s = session.getNow(null);
    if (s != null && s.control != null) {
      s.control.interruptRunning();
    }
  }

  @Override
  public List<String> formatError(Exception e) {
    if (e instanceof CellException cell) {
      return cell.traceback();
    }
    return super.formatError(e);
  }

  @Override
  public void onShutdown(boolean isRestarting) {
    close();
  }

  @Override
  public void close() {
    Notebook.detach(this);
    Session s = session.getNow(null);
    if (s != null) {
      s.shell.close();
    }
  }

  /** Line arithmetic over a source text (1-based lines). */
  private static final class Lines {
    final String text;
    private final int[] starts;

    Lines(String text) {
      this.text = text;
      List<Integer> list = new ArrayList<>();
      list.add(0);
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          list.add(i + 1);
        }
      }
      starts = list.stream().mapToInt(Integer::intValue).toArray();
    }

    int lineOf(int offset) {
      int index = Arrays.binarySearch(starts, offset);
      return (index >= 0 ? index : -index - 2) + 1;
    }

    int startOf(int line) {
      return starts[line - 1];
    }

    String line(int line) {
      int start = starts[line - 1];
      int end = line < starts.length ? starts[line] - 1 : text.length();
      return text.substring(start, end);
    }
  }
}
