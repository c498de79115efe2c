package ghn4j.eval;

import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs independent per-net jobs (evaluate a net, train a net with SGD) on worker threads and hands
 * the results back in the nets' order, so that files written from them (results CSV, caches) come
 * out as in a sequential run. Each worker thread runs {@code intraOpThreads} PyTorch intra-op
 * threads; choose {@code workers × intraOpThreads ≤ cores}.
 *
 * <p>Why results equal the sequential ones: each job depends only on its own input (its graph,
 * seeds derived from its index) and uses its own NDManagers; nothing is shared but read-only data.
 * A job's numbers can still differ in the last float bits when its intra-op thread count differs
 * from the sequential run's (reductions split differently).
 */
public final class NetWorkers {

  private NetWorkers() {}

  /**
   * {@code job} applied to every item, on {@code workers} threads (1 = on the calling thread, in
   * order); {@code onEach} is called on the calling thread with each result in item order, as soon
   * as it and all before it are done. The first failure (in item order) is rethrown after the
   * running jobs are cancelled.
   */
  public static <T, R> List<R> map(
      List<T> items, int workers, int intraOpThreads, Function<T, R> job, Consumer<R> onEach) {
    List<R> out = new ArrayList<>(items.size());
    if (workers <= 1 || items.size() < 2) {
      for (T item : items) {
        R r = job.apply(item);
        out.add(r);
        if (onEach != null) {
          onEach.accept(r);
        }
      }
      return out;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(workers, items.size()),
            r -> {
              Thread t = new Thread(r, "ghn4j-net-worker");
              t.setDaemon(true);
              return t;
            });
    List<Future<R>> futures = new ArrayList<>(items.size());
    try {
      for (T item : items) {
        futures.add(
            pool.submit(
                () -> {
                  if (JniUtils.getNumThreads() != intraOpThreads) {
                    JniUtils.setNumThreads(intraOpThreads); // per calling thread
                  }
                  return job.apply(item);
                }));
      }
      for (Future<R> f : futures) {
        R r = f.get();
        out.add(r);
        if (onEach != null) {
          onEach.accept(r);
        }
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the per-net workers ran", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("per-net worker failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
