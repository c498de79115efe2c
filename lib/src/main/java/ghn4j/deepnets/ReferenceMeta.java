package ghn4j.deepnets;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;

/**
 * Reads ppuda's {@code deepnets1m_<split>_meta.json} (or the merged {@code
 * deepnets1m_eval_meta.json}): a top-level object keyed by split name, each with a {@code nets}
 * list of {@code Network} keyword arguments plus {@code num_nodes} and {@code num_params: {cifar10,
 * imagenet}}, and a {@code meta} object (primitive and op-name tables for the HDF5 file, which we
 * do not need).
 *
 * <p>Widths: ppuda's public generator stores no {@code C}; its loader uses the stored {@code C} and
 * multiplies it by 4 for the wide split (by 2 with ImageNet images). We take {@code C} when
 * present, else 32 (the generator's {@code C}), and multiply by 4 for wide; {@code fc_dim} as
 * stored (256), else 256. Nets get the CIFAR-10 stem and 10 classes. {@code num_params} are
 * returned as the file stores them (ppuda: counted at C = 32 even for wide nets).
 *
 * <p>The HDF5 files ({@code deepnets1m_*.hdf5}) are not read: graphs are rebuilt from the net
 * arguments (their node arrays are grouped by cell, out of step with the adjacency — see the
 * fixture README).
 */
public final class ReferenceMeta {

  private ReferenceMeta() {}

  /** The split names present in a meta file. */
  public static List<String> splits(Path file) throws IOException {
    JsonNode root = new SplitIO().mapper().readTree(file.toFile());
    List<String> out = new ArrayList<>();
    root.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /**
   * The nets of {@code split} (e.g. "val") in {@code file}; with {@code split == null} the file
   * must hold exactly one split.
   */
  public static List<SampledNet> read(Path file, String split) throws IOException {
    SplitIO io = new SplitIO();
    JsonNode root = io.mapper().readTree(file.toFile());
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + ": expected a JSON object keyed by split name");
    }
    String name = split;
    if (name == null) {
      Iterator<String> it = root.fieldNames();
      if (!it.hasNext()) {
        throw new IllegalArgumentException(file + ": no split in the file");
      }
      name = it.next();
      if (it.hasNext()) {
        throw new IllegalArgumentException(
            file + ": holds several splits " + splits(file) + "; name one");
      }
    }
    JsonNode nets = root.path(name).get("nets");
    if (nets == null || !nets.isArray()) {
      throw new IllegalArgumentException(
          file + ": no '" + name + ".nets' list (splits here: " + splits(file) + ")");
    }
    int widthFactor = name.equals("wide") ? Split.WIDE.settings().widthFactor() : 1;
    List<SampledNet> out = new ArrayList<>(nets.size());
    for (int i = 0; i < nets.size(); i++) {
      JsonNode n = nets.get(i);
      String where = file.getFileName() + ": " + name + ".nets[" + i + "]";
      NetArgs a = io.fromJson(n, NetSampler.BASE_C, NetSampler.BASE_FC_DIM, where);
      a = a.withC(a.C() * widthFactor).withImagenetInput(false);
      JsonNode p = n.path("num_params");
      JsonNode nodes = n.get("num_nodes");
      out.add(
          new SampledNet(
              i,
              a,
              p.path("cifar10").asLong(-1),
              p.path("imagenet").asLong(-1),
              nodes == null || nodes.isNull()
                  ? OptionalInt.empty()
                  : OptionalInt.of(nodes.asInt())));
    }
    return out;
  }
}
