package ghn4j.kernel;

import java.util.List;

/**
 * A failed cell: compile error, exception thrown by user code, bad magic or interrupt. The message
 * (Jupyter's {@code evalue}) names the line; {@link #traceback()} holds the lines shown under the
 * cell.
 *
 * <p>Jupyter's {@code ename} is the simple class name, so the subclasses name the kind of failure.
 */
abstract sealed class CellException extends Exception
    permits CellException.CompilationException,
        CellException.EvaluationException,
        CellException.MagicException {
  private final List<String> traceback;

  CellException(String message, List<String> traceback) {
    super(message, null, false, false);
    this.traceback = List.copyOf(traceback);
  }

  List<String> traceback() {
    return traceback;
  }

  /** Code that does not compile. */
  static final class CompilationException extends CellException {
    CompilationException(String message, List<String> traceback) {
      super(message, traceback);
    }
  }

  /** An exception thrown by user code (or an interrupted cell). */
  static final class EvaluationException extends CellException {
    EvaluationException(String message, List<String> traceback) {
      super(message, traceback);
    }
  }

  /** A magic that failed or does not exist. */
  static final class MagicException extends CellException {
    MagicException(String message) {
      super(message, List.of(message));
    }
  }
}
