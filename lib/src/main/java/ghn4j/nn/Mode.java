package ghn4j.nn;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * How a forward pass treats BatchNorm (and dropout).
 *
 * <ul>
 *   <li>{@link Kind#BATCH_STATS}: BatchNorm normalises with the statistics of the current batch and
 *       keeps no state; dropout is off. This is how ppuda evaluates predicted parameters (the
 *       networks have no running statistics).
 *   <li>{@link Kind#TRAIN}: batch statistics, and the running mean/var buffers in {@link #state()}
 *       are updated with PyTorch's rule ({@code running = (1 - momentum)·running + momentum·batch},
 *       unbiased batch variance); dropout is on.
 *   <li>{@link Kind#EVAL}: BatchNorm normalises with the running buffers of {@link #state()};
 *       dropout is off.
 * </ul>
 *
 * <p>{@link #withDropout} overrides the dropout default of a kind: meta-training runs the nets with
 * batch statistics and no state, but with the classifier's dropout active, as ppuda's {@code
 * net.train()} nets.
 *
 * @param kind the mode
 * @param state the running-statistics buffers; {@code null} only for {@link Kind#BATCH_STATS}
 * @param dropout whether dropout layers drop (by default only in {@link Kind#TRAIN})
 * @param dropoutSeed where the dropout masks come from: empty = the engine's random generator (one
 *     per process, shared by all threads); a seed = masks drawn on the Java side from this seed and
 *     the layer's node name, independent of other threads (parallel workers; see {@link
 *     #withDropoutSeed})
 */
public record Mode(Kind kind, BnState state, boolean dropout, OptionalLong dropoutSeed) {

  /** The three ways of running a network. */
  public enum Kind {
    BATCH_STATS,
    TRAIN,
    EVAL
  }

  public Mode {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(dropoutSeed, "dropoutSeed");
    if (kind != Kind.BATCH_STATS && state == null) {
      throw new IllegalArgumentException(
          "mode " + kind + " needs a BnState with running statistics");
    }
  }

  /** A mode whose dropout masks come from the engine's generator. */
  public Mode(Kind kind, BnState state, boolean dropout) {
    this(kind, state, dropout, OptionalLong.empty());
  }

  /** A mode with its kind's dropout default (active only in {@link Kind#TRAIN}). */
  public Mode(Kind kind, BnState state) {
    this(kind, state, kind == Kind.TRAIN);
  }

  /** This mode with dropout switched on or off. */
  public Mode withDropout(boolean on) {
    return new Mode(kind, state, on, dropoutSeed);
  }

  /**
   * This mode with dropout masks drawn from {@code seed} (and each dropout node's name) instead of
   * the engine's generator. Why: the engine's generator is one per process, so networks run on
   * parallel threads would draw from it in an order that depends on timing; with a seed per network
   * every mask is fixed whatever runs beside it.
   */
  public Mode withDropoutSeed(long seed) {
    return new Mode(kind, state, dropout, OptionalLong.of(seed));
  }

  /** Batch statistics, no state: how ppuda evaluates predicted parameters. */
  public static Mode batchStats() {
    return new Mode(Kind.BATCH_STATS, null);
  }

  /** Training: batch statistics, running buffers in {@code state} updated, dropout active. */
  public static Mode train(BnState state) {
    return new Mode(Kind.TRAIN, state);
  }

  /** Evaluation with the running statistics in {@code state}. */
  public static Mode eval(BnState state) {
    return new Mode(Kind.EVAL, state);
  }

  /** Whether dropout is active. */
  public boolean dropoutActive() {
    return dropout;
  }
}
