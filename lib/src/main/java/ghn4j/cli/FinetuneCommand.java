package ghn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghn4j.ghn.Ghn;
import ghn4j.train.SgdTrainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./ghn4j finetune}: trains a network from GHN-predicted parameters ({@link
 * SgdTrainer#fromGhn}).
 */
@Command(
    name = "finetune",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = {
      "Fine-tune one network on CIFAR-10 (or an ImageNet-style --image-folder) starting from the "
          + "parameters a GHN predicts for it (the paper's fine-tuning experiments; 100-shot reference: --shots 100, "
          + "50 epochs, wd 1e-3). Same recipe and outputs as 'sgd'; --no-class-layers keeps the classifier at its "
          + "He/PyTorch initialisation."
    })
public final class FinetuneCommand implements Callable<Integer> {

  @Mixin SgdOptions options;
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--ckpt",
      description =
          "GHN checkpoint: our .safetensors (+.json), ppuda .pt, a GHN-3 (ghn3's "
              + "joblib / torch.save / safetensors), or a name of `./ghn4j pretrained list` (fetched and verified; e.g. "
              + "ghn2-imagenet, ghn3-tm8) (required unless --resume)")
  Path ckpt;

  @Mixin DownloadOptions download;

  @Option(names = "--wd", description = "weight decay (paper's 100-shot fine-tuning: 1e-3)")
  double wd = 1e-3;

  @Option(
      names = "--no-class-layers",
      description = "do not predict the classifier (it keeps its initialisation)")
  boolean noClassLayers;

  @Override
  public Integer call() throws Exception {
    if (ckpt == null && !options.resume) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "Missing required option: '--ckpt'");
    }
    ckpt = download.checkpoint(ckpt);
    ObjectNode extra = new ObjectMapper().createObjectNode();
    extra.put("ckpt", String.valueOf(ckpt));
    extra.put("predict_class_layers", !noClassLayers);
    boolean ghn3 = ckpt != null && ghn4j.ghn.Ghn3.isCheckpoint(ckpt);
    extra.put("ghn", ghn3 ? "GHN-3" : "GHN-2");
    return options.run(
        "finetune",
        wd,
        extra,
        (net, cfg) -> {
          if (ghn3) {
            try (ghn4j.ghn.Ghn3 g = ghn4j.ghn.Ghn3.load(ckpt)) {
              return SgdTrainer.fromGhn3(net.graph(), cfg, g, !noClassLayers, options.reinit());
            }
          }
          try (Ghn ghn = Ghn.load(ckpt)) {
            return SgdTrainer.fromGhn(net.graph(), cfg, ghn, !noClassLayers, options.reinit());
          }
        });
  }
}
