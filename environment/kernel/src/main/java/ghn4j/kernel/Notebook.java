package ghn4j.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;

/**
 * The bridge between notebook code and the kernel: the functions defined in every JShell session
 * ({@code display}, {@code render}, {@code updateDisplay}, {@code markdown}, {@code html}) are
 * one-line snippets that call these static methods.
 *
 * <p>Why a static field: snippets are compiled classes in the kernel's JVM, loaded by JShell's
 * class loader; they can reach the kernel only through a class visible to that loader, and a static
 * member is the only handle a compiled snippet can name. This field is the single piece of static
 * mutable state in the kernel; it is set by the kernel instance that owns the session ({@link
 * JavaKernel} attaches itself when it starts and detaches when it closes) and one JVM runs one
 * kernel.
 */
public final class Notebook {
  private static volatile JavaKernel kernel;

  private Notebook() {}

  static void attach(JavaKernel owner) {
    kernel = owner;
  }

  static void detach(JavaKernel owner) {
    if (kernel == owner) {
      kernel = null;
    }
  }

  private static JavaKernel kernel() {
    JavaKernel current = kernel;
    if (current == null) {
      throw new IllegalStateException(
          "no Jupyter kernel is attached (display functions only work inside a notebook)");
    }
    return current;
  }

  /**
   * Shows a value now (as a cell output) and returns its display id, for {@link #updateDisplay}.
   */
  public static String display(Object value, String... mimeTypes) {
    return kernel().display(value, mimeTypes);
  }

  /** Renders a value to display data without showing it. */
  public static DisplayData render(Object value, String... mimeTypes) {
    return kernel().render(value, mimeTypes);
  }

  /** Replaces the output shown under a display id with a new value. */
  public static void updateDisplay(String id, Object value, String... mimeTypes) {
    kernel().updateDisplay(id, value, mimeTypes);
  }

  /** A markdown display object. */
  public static DisplayData markdown(String markdown) {
    return Rendering.markdown(markdown);
  }

  /** An HTML display object. */
  public static DisplayData html(String html) {
    return Rendering.html(html);
  }
}
