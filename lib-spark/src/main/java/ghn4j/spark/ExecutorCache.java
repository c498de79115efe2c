package ghn4j.spark;

import ghn4j.ghn.Ghn;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * What the tasks of one executor JVM share: the test images and the nets of a split (loaded once,
 * read-only), and GHNs by checkpoint path (one per concurrently running task, reused by the next
 * task).
 *
 * <p>Why static state here, when the core library has none: a Spark task is a deserialised closure
 * with no handle on anything that outlives it, and an executor JVM runs many tasks one after
 * another. Without a per-JVM holder every task would reload the checkpoint and decode the images
 * again — for a 10-net eval that is most of the work. The holder only ever grows with values that
 * are pure functions of their key (a file path and options), so a task can never see another job's
 * state, and it dies with the executor.
 */
public final class ExecutorCache {

  private static final Map<String, Object> VALUES = new ConcurrentHashMap<>();
  private static final Map<String, ConcurrentLinkedQueue<Ghn>> GHNS = new ConcurrentHashMap<>();

  private ExecutorCache() {}

  /**
   * The value for {@code key}, computed once per JVM by {@code load} (which must depend only on the
   * key).
   */
  @SuppressWarnings("unchecked")
  public static <T> T get(String key, Supplier<T> load) {
    return (T) VALUES.computeIfAbsent(key, k -> load.get());
  }

  /**
   * Runs {@code use} with a GHN of {@code ckpt} that no other task uses meanwhile (a GHN's forward
   * pass is not meant for two threads at once), loading one only when every cached one is busy.
   */
  public static <T> T withGhn(Path ckpt, java.util.function.Function<Ghn, T> use) {
    ConcurrentLinkedQueue<Ghn> pool =
        GHNS.computeIfAbsent(ckpt.toAbsolutePath().toString(), k -> new ConcurrentLinkedQueue<>());
    Ghn ghn = pool.poll();
    if (ghn == null) {
      ghn = Ghn.load(ckpt);
    }
    try {
      return use.apply(ghn);
    } finally {
      pool.add(ghn);
    }
  }
}
