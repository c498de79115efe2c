package ghn4j.kernel;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * A JShell execution engine that runs every snippet directly on the thread that calls {@code
 * JShell.eval}, in the kernel's own JVM.
 *
 * <p>Why: JShell's standard "local" engine starts a new thread for each snippet. PyTorch's grad
 * mode (and any other thread-local state, such as DJL's {@code GradientCollector}) is per thread,
 * so a collector opened in one statement would be gone in the next. Running on the caller's thread
 * keeps all statements of all cells on the kernel's single shell thread.
 *
 * <p>It also gives the kernel the real value of the last evaluated snippet ({@link
 * #takeLastValue()}), not only JShell's string form, so that charts, tables and images can be
 * rendered from the object itself, and it sets the thread's context class loader to the snippet
 * class loader while user code runs: libraries that look up services or resources through it (DJL's
 * engine discovery) then see the jars added with {@code %jars}.
 *
 * <p>Cost: a running snippet cannot be stopped from outside; {@link Control#stop()} only interrupts
 * the thread (see {@link JavaKernel} for what an interrupt does).
 */
final class SameThreadExecution implements ExecutionControlProvider {
  private final AtomicReference<Control> control = new AtomicReference<>();

  @Override
  public String name() {
    return "ghn4j-same-thread";
  }

  @Override
  public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
    Control created = new Control();
    control.set(created);
    return created;
  }

  /** The control JShell created, or null before JShell has started its engine. */
  Control control() {
    return control.get();
  }

  /** The direct execution control, remembering the last value and the thread running user code. */
  static final class Control extends DirectExecutionControl {
    private static final Object NO_VALUE = new Object();
    private volatile Object lastValue = NO_VALUE;
    private volatile Thread running;

    @Override
    protected String invoke(Method doitMethod) throws Exception {
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      thread.setContextClassLoader(doitMethod.getDeclaringClass().getClassLoader());
      running = thread;
      try {
        Object value = doitMethod.invoke(null);
        lastValue = value;
        return valueString(value);
      } finally {
        running = null;
        thread.setContextClassLoader(previous);
      }
    }

    /** Forgets the last value (call before evaluating a snippet whose value is wanted). */
    void clearLastValue() {
      lastValue = NO_VALUE;
    }

    /** True if a snippet produced a value since {@link #clearLastValue()}. */
    boolean hasLastValue() {
      return lastValue != NO_VALUE;
    }

    /** Returns the last value and drops the reference so that the kernel does not keep it alive. */
    Object takeLastValue() {
      Object value = lastValue;
      lastValue = NO_VALUE;
      return value == NO_VALUE ? null : value;
    }

    /** Interrupts the thread running user code, if any; returns whether one was running. */
    boolean interruptRunning() {
      Thread thread = running;
      if (thread == null) {
        return false;
      }
      thread.interrupt();
      return true;
    }

    @Override
    public void stop() {
      interruptRunning();
    }
  }
}
