package ghn4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ghn4j.nn.BnState;
import ghn4j.nn.Devices;
import ghn4j.optim.ParamArrays;
import ghn4j.optim.ParamOptimizer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an SGD run's checkpoint holds ({@code ghn4j-sgd-checkpoint/1}, one safetensors file of its
 * {@link RunDir}): parameters ({@code param.*}), the parameters training started from ({@code
 * initial.*}), BatchNorm running statistics ({@code bn_mean.*}, {@code bn_var.*}), the optimizer's
 * state ({@code opt.*}) and counters ({@code state.*}). The epoch is all the data loader's state
 * there is: data order and augmentation are pure functions of {@code (seed, epoch, step)}.
 */
final class SgdCheckpoint {

  private static final String FORMAT = "ghn4j-sgd-checkpoint/1";

  private SgdCheckpoint() {}

  /** The live arrays a checkpoint saves and restores in place. */
  record State(
      Map<String, NDArray> params,
      Map<String, NDArray> initial,
      BnState bn,
      ParamOptimizer optimizer,
      String optimizerName) {}

  /** Epochs done and how many parameter tensors came from a GHN. */
  record Counters(int epoch, int predicted) {}

  static void write(RunDir run, State s, Counters c) throws IOException {
    Map<String, NDArray> out = new LinkedHashMap<>();
    try (NDManager tmp = Devices.newManager()) {
      s.params().forEach((k, a) -> out.put("param." + k, a));
      s.initial().forEach((k, a) -> out.put("initial." + k, a));
      for (String n : s.bn().names()) {
        out.put("bn_mean." + n, s.bn().runningMean(n));
        out.put("bn_var." + n, s.bn().runningVar(n));
      }
      s.optimizer().checkpointState().forEach((k, a) -> out.put("opt." + k, a));
      out.put("state.epoch", tmp.create(new long[] {c.epoch()}));
      out.put("state.opt_steps", tmp.create(new long[] {s.optimizer().steps()}));
      out.put("state.predicted", tmp.create(new long[] {c.predicted()}));
      run.writeCheckpoint(out, Map.of("format", FORMAT, "optimizer", s.optimizerName()));
    }
  }

  /**
   * Restores {@code s} from {@code run}'s checkpoint and returns its counters; errors name the file
   * and the missing or misshapen tensor (another network or optimizer).
   */
  static Counters read(RunDir run, State s) {
    try (NDManager tmp = Devices.newManager()) {
      RunDir.Checkpoint ck = run.readCheckpoint(tmp);
      boolean gradMode = ParamArrays.setGradMode(false);
      try {
        s.params().forEach((k, a) -> copy(ck, "param." + k, a));
        s.initial().forEach((k, a) -> copy(ck, "initial." + k, a));
        for (String n : s.bn().names()) {
          copy(ck, "bn_mean." + n, s.bn().runningMean(n));
          copy(ck, "bn_var." + n, s.bn().runningVar(n));
        }
        Map<String, NDArray> opt = new LinkedHashMap<>();
        ck.tensors()
            .forEach(
                (k, a) -> {
                  if (k.startsWith("opt.")) {
                    opt.put(k.substring(4), a);
                  }
                });
        try {
          s.optimizer().load(opt, ck.longs("state.opt_steps")[0]);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              ck.file() + ": " + e.getMessage() + " (optimizer " + s.optimizerName() + ")", e);
        }
      } finally {
        ParamArrays.setGradMode(gradMode);
      }
      return new Counters(
          Math.toIntExact(ck.longs("state.epoch")[0]),
          Math.toIntExact(ck.longs("state.predicted")[0]));
    }
  }

  private static void copy(RunDir.Checkpoint ck, String name, NDArray into) {
    ParamArrays.copyInto(ck.require(name), into, ck.file() + ": " + name);
  }
}
