package ghn4j.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry point of the kernel jar: {@code java -jar ghn4j-kernel.jar <connection file>}, as written
 * by {@code environment/install-kernel.sh} into the kernelspec. The working directory is the
 * notebook's folder (Jupyter starts kernels there); relative paths in magics resolve against it.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: java -jar ghn4j-kernel.jar <jupyter connection file>");
      System.exit(2);
    }
    Path connectionFile = Path.of(args[0]);
    if (!Files.isReadable(connectionFile)) {
      System.err.println(
          "ghn4j kernel: cannot read the connection file " + connectionFile.toAbsolutePath());
      System.exit(2);
    }
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true"); // charts and images are drawn off-screen
    }
    quietBaseKernelLogging();
    KernelConnectionProperties properties =
        KernelConnectionProperties.parse(Files.readString(connectionFile));
    JupyterConnection connection = new JupyterConnection(properties);
    JavaKernel kernel = new JavaKernel(Path.of(""));
    kernel.becomeHandlerForConnection(connection);
    connection.connect();
    connection.waitUntilClose();
    kernel.close();
  }

  /**
   * The base kernel logs every message it handles at INFO (java.util.logging, loggers with bare
   * names such as "ShellChannel") to stderr, i.e. the Jupyter server's log. Keep its warnings and
   * errors only; other JUL logging (the user's) is untouched.
   */
  private static void quietBaseKernelLogging() {
    for (Handler handler : Logger.getLogger("").getHandlers()) {
      handler.setFilter(
          record ->
              record.getLevel().intValue() >= Level.WARNING.intValue()
                  || record.getSourceClassName() == null
                  || !record.getSourceClassName().startsWith("io.github.spencerpark."));
    }
  }
}
