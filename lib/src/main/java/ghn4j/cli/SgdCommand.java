package ghn4j.cli;

import ghn4j.train.SgdTrainer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./ghn4j sgd}: trains a network on CIFAR-10 (or an ImageNet-style {@code --image-folder})
 * from He initialisation ({@link SgdTrainer#fromInit}).
 */
@Command(
    name = "sgd",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = {
      "Train one network on CIFAR-10 (or an ImageNet-style --image-folder) from torchvision-style He "
          + "initialisation with ppuda's train_net.py recipe (SGD momentum 0.9, lr 0.025, wd 3e-4, batch 96, cosine, "
          + "clip 5; BatchNorm with running statistics, test accuracy every epoch). Writes config.json, "
          + "checkpoint.safetensors (after every epoch; --resume continues from it) and metrics.jsonl into "
          + "<runs>/<name>/."
    })
public final class SgdCommand implements Callable<Integer> {

  @Mixin SgdOptions options;

  @Option(names = "--wd", description = "weight decay (ppuda train_net: 3e-4)")
  double wd = 3e-4;

  @Override
  public Integer call() throws Exception {
    return options.run(
        "sgd", wd, null, (net, cfg) -> SgdTrainer.fromInit(net.graph(), cfg, options.reinit()));
  }
}
