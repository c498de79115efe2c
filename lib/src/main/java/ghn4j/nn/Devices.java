package ghn4j.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * The device ghn4j computes on, chosen once per process by the system property {@code ghn4j.device}
 * ({@code cpu}, {@code gpu} = {@code gpu:0}, {@code gpu:N}; the {@code ./ghn4j} launcher sets it
 * from {@code GHN4J_DEVICE}) or, when unset, DJL's default: the first GPU if PyTorch's CUDA natives
 * see one, else the CPU.
 *
 * <p>Why one place: every top-level {@link NDManager} of the library is made by {@link
 * #newManager()}, so a GHN, its predicted parameters, the image batches and the executed network
 * always share one device and no code assumes a CPU.
 */
public final class Devices {

  /** System property that selects the device. */
  public static final String PROPERTY = "ghn4j.device";

  private Devices() {}

  /** The device named by {@value #PROPERTY}, else DJL's default device. */
  public static Device preferred() {
    String name = System.getProperty(PROPERTY, "").strip();
    return name.isEmpty()
        ? Engine.getInstance().defaultDevice()
        : parse(name, Engine.getInstance().getGpuCount());
  }

  /** A new base manager on {@link #preferred()}. */
  public static NDManager newManager() {
    return NDManager.newBaseManager(preferred());
  }

  /**
   * Parses {@code cpu}, {@code gpu} or {@code gpu:N} (case-insensitive).
   *
   * @param gpus GPUs PyTorch can see
   * @throws IllegalArgumentException naming the value when it is malformed or asks for a GPU that
   *     is not there
   */
  static Device parse(String name, int gpus) {
    String s = name.strip().toLowerCase(java.util.Locale.ROOT);
    if (s.equals("cpu")) {
      return Device.cpu();
    }
    if (s.equals("gpu") || s.equals("cuda")) {
      s = "gpu:0";
    }
    if (s.matches("(gpu|cuda):\\d+")) {
      int id = Integer.parseInt(s.substring(s.indexOf(':') + 1));
      if (id >= gpus) {
        throw new IllegalArgumentException(
            PROPERTY
                + "="
                + name
                + ": PyTorch sees "
                + gpus
                + " GPU(s)"
                + (gpus == 0
                    ? " — the CUDA natives (pytorch-native-cu*) are not on the class path or no GPU is visible"
                    : ""));
      }
      return Device.gpu(id);
    }
    throw new IllegalArgumentException(PROPERTY + "=" + name + ": expected cpu, gpu or gpu:N");
  }
}
