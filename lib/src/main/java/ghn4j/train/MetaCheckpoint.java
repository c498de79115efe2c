package ghn4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ghn4j.ghn.Ghn;
import ghn4j.nn.Devices;
import ghn4j.optim.Adam;
import ghn4j.optim.ParamArrays;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a meta-training run's checkpoint holds ({@code ghn4j-meta-checkpoint/1}, one safetensors
 * file of its {@link RunDir}): the GHN's weights ({@code ghn.*}), Adam's moments ({@code adam.*})
 * and the counters ({@code state.*}: step, Adam's step count, failed meta-batches, the LR
 * milestones fixed so far, wall-clock and CPU seconds). All randomness of a step derives from
 * {@code (seed, step)}, so nothing else is needed to continue with the same losses.
 */
final class MetaCheckpoint {

  private static final String FORMAT = "ghn4j-meta-checkpoint/1";

  private MetaCheckpoint() {}

  /**
   * The trainer's counters: the next step, failed meta-batches in the epoch {@code failedEpoch}
   * (ppuda's patience) and skipped ones in all.
   */
  record Counters(long step, int failedInEpoch, int failedEpoch, long skipped) {}

  static void write(RunDir run, Ghn ghn, Adam adam, TrainingBudget budget, Counters c)
      throws IOException {
    Map<String, NDArray> out = new LinkedHashMap<>();
    try (NDManager tmp = Devices.newManager()) {
      ghn.parameters().forEach((k, a) -> out.put("ghn." + k, a));
      out.putAll(adam.checkpointState());
      out.put("state.step", tmp.create(new long[] {c.step()}));
      out.put("state.adam_t", tmp.create(new long[] {adam.steps()}));
      out.put("state.failed_in_epoch", tmp.create(new long[] {c.failedInEpoch(), c.failedEpoch()}));
      out.put("state.skipped", tmp.create(new long[] {c.skipped()}));
      out.put("state.milestones", tmp.create(budget.milestones()));
      out.put("state.elapsed_s", tmp.create(new double[] {budget.elapsedSeconds()}));
      out.put("state.cpu_s", tmp.create(new double[] {budget.cpuSeconds()}));
      run.writeCheckpoint(out, Map.of("format", FORMAT));
    }
  }

  /**
   * Restores the GHN's weights, Adam and the budget's clocks from {@code run}'s checkpoint and
   * returns its counters; errors name the file and the missing or misshapen tensor.
   */
  static Counters read(RunDir run, Ghn ghn, Adam adam, TrainingBudget budget) {
    try (NDManager tmp = Devices.newManager()) {
      RunDir.Checkpoint ck = run.readCheckpoint(tmp);
      boolean gradMode = ParamArrays.setGradMode(false);
      try {
        for (Map.Entry<String, NDArray> e : ghn.parameters().entrySet()) {
          NDArray src = ck.tensors().get("ghn." + e.getKey());
          if (src == null) {
            throw new IllegalArgumentException(
                ck.file()
                    + ": lacks GHN tensor ghn."
                    + e.getKey()
                    + " (was the run started with another GHN config?)");
          }
          ParamArrays.copyInto(src, e.getValue(), ck.file() + ": ghn." + e.getKey());
        }
        adam.load(ck.tensors(), ck.longs("state.adam_t")[0]);
      } finally {
        ParamArrays.setGradMode(gradMode);
      }
      // state.cpu_s is absent in checkpoints written before CPU budgets existed
      budget.restore(
          ck.doubleOr("state.elapsed_s", 0),
          ck.doubleOr("state.cpu_s", 0),
          ck.longs("state.milestones"));
      long[] failed = ck.longs("state.failed_in_epoch");
      return new Counters(
          ck.longs("state.step")[0],
          (int) failed[0],
          (int) failed[1],
          ck.longs("state.skipped")[0]);
    }
  }
}
