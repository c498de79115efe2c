package ghn4j.report;

import ghn4j.deepnets.EvalWidth;
import ghn4j.deepnets.NetArgs;
import ghn4j.deepnets.NetworkBuilder;
import ghn4j.deepnets.SampledNet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Our evaluation nets counted the way ppuda's meta JSON counts them: at the generator's base width
 * C = 32 (ppuda's public generator stores no C and counts every net at C = 32; our evaluation
 * splits carry the C chosen by {@link EvalWidth}, ×4 for wide). Graph node counts do not depend on
 * C and are kept. Use it to compare our splits with the reference generator's parameter statistics
 * like for like.
 */
public final class BaseWidth {

  /** The generator's width, at which ppuda's meta files count parameters. */
  public static final int C = 32;

  private BaseWidth() {}

  /**
   * {@code nets} at C = 32 with their parameters recounted by ppuda's rule ({@link
   * NetworkBuilder#countParams}).
   */
  public static List<SampledNet> recount(List<SampledNet> nets) {
    return recount(nets, NetworkBuilder::countParams);
  }

  /** {@code nets} at C = 32 with their parameters recounted by {@code counter}. */
  public static List<SampledNet> recount(List<SampledNet> nets, ToLongFunction<NetArgs> counter) {
    List<SampledNet> out = new ArrayList<>(nets.size());
    for (SampledNet n : nets) {
      NetArgs a = n.args().withC(C);
      out.add(
          new SampledNet(
              n.index(), a, counter.applyAsLong(a), n.numParamsImagenet(), n.numNodes()));
    }
    return out;
  }
}
