package ghn4j.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The GHN gradient of part of a meta-batch, as plain Java numbers: for every GHN weight (in the
 * GHN's fixed parameter order) the gradient of the <em>sum</em> of its nets' cross-entropies, plus
 * the loss sum, the count of correct predictions and the number of nets and images behind it.
 * Shards of disjoint parts of one meta-batch add up ({@link #plus}, {@link #sum}) to the shard of
 * the whole meta-batch, which {@link MetaStep#apply} turns into the update (mean over the nets,
 * clipping, Adam). Why: this is the unit data-parallel training exchanges — between the threads of
 * one machine ({@link MetaStep} with workers) or between processes ({@link #toBytes}, {@link
 * #fromBytes}).
 *
 * <p>A value: the arrays are never changed after construction and are not handed out for writing
 * (callers of {@link #gradient} must not modify the array they get).
 */
public final class GradientShard {

  private static final int MAGIC = 0x47485347; // "GHSG"
  private static final int VERSION = 1;

  private final List<String> names;
  private final float[][] gradients;
  private final double lossSum;
  private final long correct;
  private final long examples;
  private final int nets;

  /**
   * @param names the GHN's parameter names in its order (the same list in every shard that is
   *     summed)
   * @param gradients per name, the gradient of the nets' summed loss (flattened row-major)
   * @param lossSum the sum of the nets' mean cross-entropies (not finite when a net's loss was not)
   * @param correct correct top-1 predictions over all nets and images
   * @param examples nets × images
   * @param nets how many nets of the meta-batch this shard covers
   */
  public GradientShard(
      List<String> names,
      float[][] gradients,
      double lossSum,
      long correct,
      long examples,
      int nets) {
    this.names = List.copyOf(names);
    Objects.requireNonNull(gradients, "gradients");
    if (gradients.length != this.names.size()) {
      throw new IllegalArgumentException(
          "gradient shard: "
              + gradients.length
              + " gradients for "
              + this.names.size()
              + " parameter names");
    }
    this.gradients = gradients.clone();
    for (int i = 0; i < this.gradients.length; i++) {
      if (this.gradients[i] == null) {
        throw new IllegalArgumentException("gradient shard: no gradient for " + this.names.get(i));
      }
    }
    if (nets < 0 || correct < 0 || examples < 0) {
      throw new IllegalArgumentException(
          "gradient shard: negative count (nets "
              + nets
              + ", correct "
              + correct
              + ", examples "
              + examples
              + ")");
    }
    this.lossSum = lossSum;
    this.correct = correct;
    this.examples = examples;
    this.nets = nets;
  }

  /**
   * The shard of no nets: zero gradients of the given sizes (the neutral element of {@link #plus}).
   */
  public static GradientShard zero(List<String> names, long[] sizes) {
    float[][] g = new float[sizes.length][];
    for (int i = 0; i < sizes.length; i++) {
      g[i] = new float[Math.toIntExact(sizes[i])];
    }
    return new GradientShard(names, g, 0, 0, 0, 0);
  }

  /** Parameter names, in the order of the gradients. */
  public List<String> names() {
    return names;
  }

  /** The gradient of parameter {@code i} (of {@link #names()}); do not modify. */
  public float[] gradient(int i) {
    return gradients[i];
  }

  /** Sum of the nets' losses. */
  public double lossSum() {
    return lossSum;
  }

  /** Correct predictions over nets × images. */
  public long correct() {
    return correct;
  }

  /** Nets × images behind {@link #correct()}. */
  public long examples() {
    return examples;
  }

  /** Nets of the meta-batch in this shard. */
  public int nets() {
    return nets;
  }

  /**
   * Whether every net's loss was finite (a shard with a non-finite loss makes the step fail, as in
   * ppuda).
   */
  public boolean lossFinite() {
    return Double.isFinite(lossSum);
  }

  /**
   * This shard plus {@code other}, element by element in float32 ({@code this + other}, in that
   * order: float addition is commutative, so {@code a.plus(b)} equals {@code b.plus(a)} bit for
   * bit, but not associative, so sum many shards in one fixed order, {@link #sum}).
   *
   * @throws IllegalArgumentException when the parameter names or sizes differ
   */
  public GradientShard plus(GradientShard other) {
    if (!names.equals(other.names)) {
      throw new IllegalArgumentException(
          "gradient shards of different GHNs: parameters "
              + describe(names)
              + " vs "
              + describe(other.names));
    }
    float[][] s = new float[gradients.length][];
    for (int i = 0; i < gradients.length; i++) {
      float[] a = gradients[i];
      float[] b = other.gradients[i];
      if (a.length != b.length) {
        throw new IllegalArgumentException(
            "gradient shards disagree on the size of "
                + names.get(i)
                + ": "
                + a.length
                + " vs "
                + b.length);
      }
      float[] c = new float[a.length];
      for (int k = 0; k < a.length; k++) {
        c[k] = a[k] + b[k];
      }
      s[i] = c;
    }
    return new GradientShard(
        names,
        s,
        lossSum + other.lossSum,
        correct + other.correct,
        examples + other.examples,
        nets + other.nets);
  }

  /**
   * The sum of {@code shards} left to right ({@code ((s0 + s1) + s2) + …}): a fixed order, so the
   * result does not depend on which shard was computed first.
   */
  public static GradientShard sum(List<GradientShard> shards) {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("no gradient shards to sum");
    }
    GradientShard s = shards.get(0);
    for (int i = 1; i < shards.size(); i++) {
      s = s.plus(shards.get(i));
    }
    return s;
  }

  /** Number of gradient scalars. */
  public long size() {
    long n = 0;
    for (float[] g : gradients) {
      n += g.length;
    }
    return n;
  }

  /**
   * The shard as bytes (big-endian header with the parameter names, then each gradient as
   * little-endian float32): about 4 bytes per GHN weight.
   */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(Math.toIntExact(4 * size() + 64L * names.size() + 64));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeDouble(lossSum);
      out.writeLong(correct);
      out.writeLong(examples);
      out.writeInt(nets);
      out.writeInt(names.size());
      for (int i = 0; i < names.size(); i++) {
        out.writeUTF(names.get(i));
        float[] g = gradients[i];
        out.writeInt(g.length);
        ByteBuffer b = ByteBuffer.allocate(4 * g.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(g);
        out.write(b.array());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array stream does not fail
    }
    return bytes.toByteArray();
  }

  /**
   * Reads {@link #toBytes()}'s format.
   *
   * @throws IllegalArgumentException naming what is wrong (not a shard, another version, truncated,
   *     trailing bytes)
   */
  public static GradientShard fromBytes(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new IllegalArgumentException(
            "not a gradient shard (magic " + Integer.toHexString(magic) + ")");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "gradient shard format version " + version + ", expected " + VERSION);
      }
      double lossSum = in.readDouble();
      long correct = in.readLong();
      long examples = in.readLong();
      int nets = in.readInt();
      int count = in.readInt();
      if (count < 0 || count > data.length) {
        throw new IllegalArgumentException("gradient shard: bad parameter count " + count);
      }
      List<String> names = new ArrayList<>(count);
      float[][] g = new float[count][];
      for (int i = 0; i < count; i++) {
        names.add(in.readUTF());
        int n = in.readInt();
        if (n < 0 || 4L * n > in.available()) {
          throw new IllegalArgumentException(
              "gradient shard: "
                  + names.get(i)
                  + " has "
                  + n
                  + " values but only "
                  + in.available()
                  + " bytes remain (truncated?)");
        }
        byte[] raw = new byte[4 * n];
        in.readFully(raw);
        g[i] = new float[n];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(g[i]);
      }
      if (in.available() > 0) {
        throw new IllegalArgumentException("gradient shard: " + in.available() + " trailing bytes");
      }
      return new GradientShard(names, g, lossSum, correct, examples, nets);
    } catch (java.io.EOFException e) {
      throw new IllegalArgumentException(
          "gradient shard: truncated (" + data.length + " bytes)", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Same names, same counts, same loss sum and bit-identical gradients. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof GradientShard s)) {
      return false;
    }
    return names.equals(s.names)
        && Double.compare(lossSum, s.lossSum) == 0
        && correct == s.correct
        && examples == s.examples
        && nets == s.nets
        && Arrays.deepEquals(gradients, s.gradients);
  }

  @Override
  public int hashCode() {
    return Objects.hash(names, lossSum, correct, examples, nets, Arrays.deepHashCode(gradients));
  }

  @Override
  public String toString() {
    return "GradientShard["
        + nets
        + " nets, "
        + names.size()
        + " tensors, "
        + size()
        + " values, loss sum "
        + lossSum
        + "]";
  }

  private static String describe(List<String> n) {
    return n.size() + " (" + (n.isEmpty() ? "" : n.get(0) + " … " + n.get(n.size() - 1)) + ")";
  }
}
