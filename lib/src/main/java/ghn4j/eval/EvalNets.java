package ghn4j.eval;

import ghn4j.deepnets.DeepNets;
import ghn4j.deepnets.NetArgs;
import ghn4j.deepnets.NetworkBuilder;
import ghn4j.deepnets.Presets;
import ghn4j.deepnets.ReferenceMeta;
import ghn4j.deepnets.SampledNet;
import ghn4j.deepnets.Split;
import ghn4j.deepnets.SplitFiles;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Ops;
import ghn4j.zoo.ResNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the nets of an evaluation split come from: {@code predefined} is ResNet-50 and ppuda's ViT
 * (ppuda's {@code predefined} split); a DeepNets-1M split ({@code val, test, wide, deep, dense,
 * bnfree}) is read from ppuda's meta JSON when one is given and holds that split (the official
 * {@code deepnets1m_eval_meta.json}: see {@link ghn4j.deepnets.OfficialDeepNets}), else from our
 * split files under {@code <netsRoot>/<split>/} when they exist, else generated in memory with the
 * split's default seed (same nets as {@code ./ghn4j generate}).
 */
public final class EvalNets {

  private EvalNets() {}

  /**
   * The first {@code limit} nets (all when {@code limit <= 0}) of {@code split}.
   *
   * @param netsRoot directory holding split directories (e.g. {@code data/deepnets1m}); may be null
   * @param metaJson ppuda's {@code deepnets1m_*_meta.json}; may be null
   */
  public static List<NamedGraph> load(String split, Path netsRoot, Path metaJson, int limit)
      throws IOException {
    return load(split, netsRoot, metaJson, limit, 0, false);
  }

  /**
   * As {@link #load(String, Path, Path, int)} with classifiers for {@code numClasses} classes and,
   * when {@code largeInput}, ImageNet stems (torchvision's for ResNet-50, ppuda's {@code
   * is_imagenet_input} for the others). With {@code numClasses} 0 the nets are built as stored (10
   * classes for the predefined nets, 32×32 stems).
   */
  public static List<NamedGraph> load(
      String split, Path netsRoot, Path metaJson, int limit, int numClasses, boolean largeInput)
      throws IOException {
    boolean asStored = numClasses <= 0;
    if (split.equalsIgnoreCase("predefined")) {
      int classes = asStored ? 10 : numClasses;
      List<NamedGraph> out = new ArrayList<>();
      out.add(new NamedGraph("resnet50", ResNet.build(ResNet.RESNET50, classes, largeInput)));
      out.add(new NamedGraph("ViT", NetworkBuilder.graph(Presets.vit(classes, largeInput))));
      return limit > 0 ? out.subList(0, Math.min(limit, out.size())) : out;
    }
    Split s = Split.of(split);
    List<SampledNet> nets;
    Path dir = netsRoot == null ? null : netsRoot.resolve(s.id());
    if (metaJson != null && ReferenceMeta.splits(metaJson).contains(s.id())) {
      // a meta JSON given (ppuda's official one, e.g.) names the very nets ppuda's numbers are on:
      // it comes first
      nets = ReferenceMeta.read(metaJson, s.id());
    } else if (dir != null && Files.isDirectory(dir)) {
      nets = SplitFiles.readAll(dir);
    } else {
      int n =
          limit > 0 ? Math.min(limit, s.settings().defaultCount()) : s.settings().defaultCount();
      nets = DeepNets.standard().nets(s, n);
    }
    if (limit > 0 && nets.size() > limit) {
      nets = nets.subList(0, limit);
    }
    List<NamedGraph> out = new ArrayList<>(nets.size());
    for (SampledNet n : nets) {
      NetArgs a = n.args();
      if (!asStored) {
        a = a.withNumClasses(numClasses).withImagenetInput(largeInput);
      }
      out.add(new NamedGraph(String.format("%s/%03d", s.id(), n.index()), NetworkBuilder.graph(a)));
    }
    return out;
  }

  /** Where {@link #load} takes the nets of {@code split} from, for a log line or a notebook. */
  public static String source(String split, Path netsRoot, Path metaJson) throws IOException {
    if (split.equalsIgnoreCase("predefined")) {
      return "ResNet-50 and ViT (built in)";
    }
    Split s = Split.of(split);
    if (metaJson != null && ReferenceMeta.splits(metaJson).contains(s.id())) {
      return "ppuda meta " + metaJson;
    }
    Path dir = netsRoot == null ? null : netsRoot.resolve(s.id());
    return dir != null && Files.isDirectory(dir)
        ? "ghn4j split files " + dir
        : "ghn4j generator (split seed, in memory)";
  }

  /**
   * Whether {@code graph} runs only on the input size it was built for: it has a learned positional
   * encoding (ViT-style nets) or flattens feature maps into its classifier without global or
   * adaptive pooling. ppuda builds such ImageNet nets for 224×224 inputs.
   */
  public static boolean fixedInputSize(Graph graph) {
    boolean pooled = false;
    boolean flattened = false;
    for (Node n : graph.nodes()) {
      if (n.op() instanceof Ops.LearnedTensor) {
        return true;
      }
      pooled |= n.op() instanceof Ops.GlobalAvgPool || n.op() instanceof Ops.AdaptiveAvgPool;
      flattened |= n.op() instanceof Ops.Flatten;
    }
    return flattened && !pooled;
  }
}
