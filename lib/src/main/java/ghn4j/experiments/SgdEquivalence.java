package ghn4j.experiments;

import ghn4j.data.ImageSet;
import ghn4j.eval.Evaluator;
import ghn4j.eval.NamedGraph;
import ghn4j.ghn.Ghn;
import ghn4j.train.SgdConfig;
import ghn4j.train.SgdTrainer;
import java.util.List;

/**
 * How many SGD steps a GHN's predicted parameters are worth: the paper sets the accuracy of
 * predicted parameters against networks trained with SGD for a short time. For one net, the
 * predicted parameters are evaluated ({@link Evaluator}: batch 64, BatchNorm with batch
 * statistics), then the same net is trained from He initialisation ({@link SgdTrainer#fromInit})
 * with a recipe (ppuda's {@code train_net.py} by default: SGD lr 0.025, momentum 0.9, wd 3e-4,
 * batch 96, cosine over 50 epochs) on the training images, evaluated on the same test images under
 * the same protocol every {@code every} steps, until it first reaches the predicted parameters'
 * accuracy.
 *
 * <p>ghn4j evaluates the SGD-trained net with batch statistics, as the predicted parameters, rather
 * than with the running statistics of {@code model.eval()}: early in training the running averages
 * lag far behind, which would count against SGD.
 */
public final class SgdEquivalence {

  private SgdEquivalence() {}

  /**
   * One net's comparison.
   *
   * @param predictedAccuracy top-1 (%) of the GHN's parameters
   * @param sgd test top-1 before training and after every {@code every} SGD steps, up to the match
   *     or the budget
   * @param matchStep the first step count whose accuracy reaches {@code predictedAccuracy}, or -1
   *     if none within the budget (the predicted parameters are then worth more than that many
   *     steps)
   */
  public record Result(
      String net,
      long params,
      double predictedAccuracy,
      List<SgdTrainer.StepAccuracy> sgd,
      long matchStep) {

    public Result {
      sgd = List.copyOf(sgd);
    }
  }

  /**
   * Evaluates {@code ghn}'s parameters for {@code net} on {@code test}, then trains the net from He
   * initialisation with {@code recipe} on {@code train} for at most {@code maxSteps} steps
   * (evaluating every {@code every}).
   */
  public static Result of(
      Ghn ghn,
      NamedGraph net,
      ImageSet train,
      ImageSet test,
      SgdConfig recipe,
      int every,
      long maxSteps) {
    double predicted =
        Evaluator.predictAndEvaluate(ghn, net.graph(), test, recipe.evalBatchSize()).accuracy();
    List<SgdTrainer.StepAccuracy> curve;
    try (SgdTrainer t = SgdTrainer.fromInit(net.graph(), recipe)) {
      curve = t.stepCurve(train, test, every, maxSteps, predicted);
    }
    long match =
        curve.stream()
            .filter(p -> p.accuracy() >= predicted)
            .mapToLong(SgdTrainer.StepAccuracy::step)
            .findFirst()
            .orElse(-1);
    return new Result(net.name(), net.numParams(), predicted, curve, match);
  }
}
