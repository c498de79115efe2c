package ghn4j.spark;

import java.io.Serializable;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * One Spark task per item, each result handed to the driver as soon as its task finishes (Spark's
 * {@code SparkContext.runJob} with a result handler), not after the whole job: the driver can then
 * write a resumable file net by net. A task that fails (its executor lost, e.g.) is retried by
 * Spark on another executor.
 */
final class PerTask {

  /** A serialisable function, shipped to the executors. */
  @FunctionalInterface
  interface Work<T, R> extends Serializable {
    R apply(T item);
  }

  private PerTask() {}

  /**
   * Runs {@code work} on every item (one task each) and calls {@code onResult(index, result)} on
   * the driver, in completion order, one call at a time.
   */
  static <T extends Serializable, R extends Serializable> void run(
      JavaSparkContext sc, List<T> items, Work<T, R> work, BiConsumer<Integer, R> onResult) {
    RDD<T> rdd = sc.parallelize(items, items.size()).rdd();
    sc.sc()
        .runJob(
            rdd,
            new TaskFunction<>(work),
            new Handler<>(onResult),
            ClassTag$.MODULE$.apply(Serializable.class));
  }

  /**
   * As {@link #run(JavaSparkContext, List, Work, BiConsumer)}, with a conversion of the result
   * before shipping.
   */
  static <T extends Serializable, X, R extends Serializable> void run(
      JavaSparkContext sc,
      List<T> items,
      Work<T, X> work,
      Work<X, R> ship,
      BiConsumer<Integer, R> onResult) {
    run(sc, items, (T t) -> ship.apply(work.apply(t)), onResult);
  }

  private static final class TaskFunction<T, R>
      extends AbstractFunction2<TaskContext, Iterator<T>, R> implements Serializable {
    private final Work<T, R> work;

    TaskFunction(Work<T, R> work) {
      this.work = work;
    }

    @Override
    public R apply(TaskContext context, Iterator<T> items) {
      R out = work.apply(items.next());
      if (items.hasNext()) {
        throw new IllegalStateException("PerTask: a partition holds more than one item");
      }
      return out;
    }
  }

  private static final class Handler<R> extends AbstractFunction2<Object, R, BoxedUnit>
      implements Serializable {
    private final transient BiConsumer<Integer, R> onResult;

    Handler(BiConsumer<Integer, R> onResult) {
      this.onResult = onResult;
    }

    @Override
    public BoxedUnit apply(Object index, R result) {
      onResult.accept((Integer) index, result);
      return BoxedUnit.UNIT;
    }
  }
}
