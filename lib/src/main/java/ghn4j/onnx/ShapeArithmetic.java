package ghn4j.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Evaluates the shape arithmetic exporters write around reshapes ({@code Shape → Gather → Unsqueeze
 * → Concat → Reshape}, integer {@code Div}/{@code Mul}, {@code Slice} bounds): ONNX ops whose
 * inputs are all known constants, on small tensors held as doubles. The importer folds such nodes
 * away — ppuda's graphs have no node for them.
 *
 * <p>One unit (~400 lines): a catalogue of small evaluators, one per op of {@link #OPS}, over one
 * constant type.
 */
final class ShapeArithmetic {

  private ShapeArithmetic() {}

  /**
   * A constant tensor: dims and row-major values; {@code integer} when its ONNX type is an integer
   * type.
   */
  record Constant(long[] dims, double[] values, boolean integer) {
    Constant {
      dims = dims.clone();
      values = values.clone();
    }

    static Constant scalar(double v, boolean integer) {
      return new Constant(new long[0], new double[] {v}, integer);
    }

    static Constant vector(long[] v) {
      double[] d = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        d[i] = v[i];
      }
      return new Constant(new long[] {v.length}, d, true);
    }

    int numel() {
      return values.length;
    }

    long asLong(int i) {
      double v = values[i];
      return v >= Long.MAX_VALUE ? Long.MAX_VALUE : v <= Long.MIN_VALUE ? Long.MIN_VALUE : (long) v;
    }

    long[] asLongs() {
      long[] l = new long[values.length];
      for (int i = 0; i < l.length; i++) {
        l[i] = asLong(i);
      }
      return l;
    }

    @Override
    public long[] dims() {
      return dims.clone();
    }

    @Override
    public double[] values() {
      return values.clone();
    }

    @Override
    public String toString() {
      return Arrays.toString(values) + "@" + Arrays.toString(dims);
    }
  }

  /** The op types {@link #evaluate} knows. */
  static final Set<String> OPS =
      Set.of(
          "Gather",
          "Unsqueeze",
          "Squeeze",
          "Concat",
          "Cast",
          "Div",
          "Mul",
          "Add",
          "Sub",
          "Slice",
          "ConstantOfShape",
          "Reshape",
          "Identity",
          "Floor",
          "Ceil",
          "Neg",
          "Range",
          "Equal",
          "Where",
          "Min",
          "Max");

  /**
   * The value of {@code op} on constant inputs (null entries are absent optional inputs), with
   * {@code attrs} read through {@code attr}; throws IllegalArgumentException naming what it cannot
   * evaluate.
   */
  static Constant evaluate(String op, List<Constant> in, Attrs attr) {
    return switch (op) {
      case "Identity" -> in.get(0);
      case "Cast" -> cast(in.get(0), attr.i("to", 1));
      case "Floor", "Ceil", "Neg" -> unary(op, in.get(0));
      case "Div", "Mul", "Add", "Sub", "Equal", "Min", "Max" -> binary(op, in.get(0), in.get(1));
      case "Where" -> where(in.get(0), in.get(1), in.get(2));
      case "Gather" -> gather(in.get(0), in.get(1), (int) attr.i("axis", 0));
      case "Unsqueeze" ->
          unsqueeze(
              in.get(0),
              in.size() > 1 && in.get(1) != null ? in.get(1).asLongs() : attr.ints("axes", null));
      case "Squeeze" ->
          squeeze(
              in.get(0),
              in.size() > 1 && in.get(1) != null ? in.get(1).asLongs() : attr.ints("axes", null));
      case "Concat" -> concat(in, (int) attr.i("axis", 0));
      case "Slice" -> slice(in);
      case "ConstantOfShape" -> constantOfShape(in.get(0), attr);
      case "Reshape" -> reshape(in.get(0), in.get(1));
      case "Range" -> range(in.get(0), in.get(1), in.get(2));
      default -> throw new IllegalArgumentException("cannot evaluate " + op + " on constants");
    };
  }

  /** Attribute access for {@link #evaluate} (the importer reads its node's attributes). */
  interface Attrs {
    long i(String name, long dflt);

    long[] ints(String name, long[] dflt);

    double f(String name, double dflt);

    ai.onnx.proto.OnnxMl.TensorProto t(String name);
  }

  private static boolean isIntegerType(long onnxType) {
    return onnxType != 1 && onnxType != 10 && onnxType != 11 && onnxType != 16;
  }

  private static Constant cast(Constant c, long to) {
    boolean integer = isIntegerType(to);
    double[] v = c.values();
    if (integer) {
      for (int i = 0; i < v.length; i++) {
        v[i] = v[i] < 0 ? Math.ceil(v[i]) : Math.floor(v[i]);
      }
    }
    return new Constant(c.dims(), v, integer);
  }

  private static Constant unary(String op, Constant c) {
    double[] v = c.values();
    for (int i = 0; i < v.length; i++) {
      v[i] =
          switch (op) {
            case "Floor" -> Math.floor(v[i]);
            case "Ceil" -> Math.ceil(v[i]);
            default -> -v[i];
          };
    }
    return new Constant(c.dims(), v, c.integer());
  }

  private static Constant binary(String op, Constant a, Constant b) {
    long[] dims = broadcast(a.dims(), b.dims());
    int n = (int) prod(dims);
    double[] out = new double[n];
    boolean integer = a.integer() && b.integer();
    for (int i = 0; i < n; i++) {
      double x = a.values()[index(i, dims, a.dims())];
      double y = b.values()[index(i, dims, b.dims())];
      out[i] =
          switch (op) {
            case "Add" -> x + y;
            case "Sub" -> x - y;
            case "Mul" -> x * y;
            // ONNX integer division truncates toward zero
            case "Div" -> integer ? (double) ((long) x / (long) y) : x / y;
            case "Equal" -> x == y ? 1 : 0;
            case "Min" -> Math.min(x, y);
            default -> Math.max(x, y);
          };
    }
    return new Constant(dims, out, integer || op.equals("Equal"));
  }

  private static Constant where(Constant cond, Constant a, Constant b) {
    long[] dims = broadcast(broadcast(cond.dims(), a.dims()), b.dims());
    int n = (int) prod(dims);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] =
          cond.values()[index(i, dims, cond.dims())] != 0
              ? a.values()[index(i, dims, a.dims())]
              : b.values()[index(i, dims, b.dims())];
    }
    return new Constant(dims, out, a.integer() && b.integer());
  }

  private static Constant gather(Constant data, Constant idx, int axis) {
    long[] d = data.dims();
    if (axis < 0) {
      axis += d.length;
    }
    if (d.length != 1 || axis != 0) {
      throw new IllegalArgumentException(
          "Gather on constants is supported for vectors only, got dims " + Arrays.toString(d));
    }
    double[] out = new double[idx.numel()];
    for (int i = 0; i < out.length; i++) {
      long k = idx.asLong(i);
      out[i] = data.values()[(int) (k < 0 ? k + d[0] : k)];
    }
    return new Constant(idx.dims(), out, data.integer());
  }

  private static Constant unsqueeze(Constant c, long[] axes) {
    long[] d = c.dims();
    int rank = d.length + axes.length;
    boolean[] inserted = new boolean[rank];
    for (long a : axes) {
      inserted[(int) (a < 0 ? a + rank : a)] = true;
    }
    long[] out = new long[rank];
    int k = 0;
    for (int i = 0; i < rank; i++) {
      out[i] = inserted[i] ? 1 : d[k++];
    }
    return new Constant(out, c.values(), c.integer());
  }

  private static Constant squeeze(Constant c, long[] axes) {
    long[] d = c.dims();
    java.util.List<Long> out = new java.util.ArrayList<>();
    for (int i = 0; i < d.length; i++) {
      boolean drop = false;
      if (axes == null) {
        drop = d[i] == 1;
      } else {
        for (long a : axes) {
          drop |= (a < 0 ? a + d.length : a) == i;
        }
      }
      if (!drop) {
        out.add(d[i]);
      }
    }
    return new Constant(out.stream().mapToLong(Long::longValue).toArray(), c.values(), c.integer());
  }

  private static Constant concat(List<Constant> in, int axis) {
    long[] d0 = in.get(0).dims();
    if (d0.length > 1 || (axis != 0 && axis != -1)) {
      throw new IllegalArgumentException("Concat on constants is supported for vectors only");
    }
    int n = 0;
    for (Constant c : in) {
      n += c.numel();
    }
    double[] out = new double[n];
    int k = 0;
    boolean integer = true;
    for (Constant c : in) {
      System.arraycopy(c.values(), 0, out, k, c.numel());
      k += c.numel();
      integer &= c.integer();
    }
    return new Constant(new long[] {n}, out, integer);
  }

  private static Constant slice(List<Constant> in) {
    Constant data = in.get(0);
    if (data.dims().length != 1) {
      throw new IllegalArgumentException("Slice on constants is supported for vectors only");
    }
    long n = data.dims()[0];
    long start = clampIndex(in.get(1).asLong(0), n);
    long end = clampIndex(in.get(2).asLong(0), n);
    long step = in.size() > 4 && in.get(4) != null ? in.get(4).asLong(0) : 1;
    if (step != 1) {
      throw new IllegalArgumentException("Slice on constants needs step 1");
    }
    double[] out = Arrays.copyOfRange(data.values(), (int) start, (int) Math.max(start, end));
    return new Constant(new long[] {out.length}, out, data.integer());
  }

  /** An ONNX slice bound: negative counts from the end, clamped to 0..n. */
  static long clampIndex(long i, long n) {
    if (i < 0) {
      i += n;
    }
    return Math.max(0, Math.min(n, i));
  }

  private static Constant constantOfShape(Constant shape, Attrs attr) {
    long[] dims = shape.asLongs();
    double v = 0;
    boolean integer = false;
    ai.onnx.proto.OnnxMl.TensorProto t = attr.t("value");
    if (t != null) {
      v = OnnxTensors.doubles(t, null)[0];
      integer = isIntegerType(t.getDataType());
    }
    double[] out = new double[(int) prod(dims)];
    Arrays.fill(out, v);
    return new Constant(dims, out, integer);
  }

  private static Constant reshape(Constant data, Constant shape) {
    long[] target = resolveReshape(data.dims(), shape.asLongs());
    return new Constant(target, data.values(), data.integer());
  }

  private static Constant range(Constant start, Constant limit, Constant delta) {
    double s = start.values()[0];
    double l = limit.values()[0];
    double d = delta.values()[0];
    int n = (int) Math.max(0, Math.ceil((l - s) / d));
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = s + i * d;
    }
    return new Constant(new long[] {n}, out, start.integer());
  }

  /** ONNX Reshape's target: 0 copies the input dimension (allowzero = 0), one -1 takes the rest. */
  static long[] resolveReshape(long[] in, long[] target) {
    long[] out = target.clone();
    int minus = -1;
    long known = 1;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == 0) {
        out[i] = in[i];
      }
      if (out[i] == -1) {
        if (minus >= 0) {
          throw new IllegalArgumentException(
              "Reshape target " + Arrays.toString(target) + " has two -1");
        }
        minus = i;
      } else {
        known *= out[i];
      }
    }
    long total = prod(in);
    if (minus >= 0) {
      out[minus] = known == 0 ? 0 : total / known;
    }
    if (prod(out) != total) {
      throw new IllegalArgumentException(
          "cannot reshape " + Arrays.toString(in) + " to " + Arrays.toString(target));
    }
    return out;
  }

  static long prod(long[] d) {
    long p = 1;
    for (long x : d) {
      p *= x;
    }
    return p;
  }

  /** Numpy-style broadcast of two shapes. */
  static long[] broadcast(long[] a, long[] b) {
    int r = Math.max(a.length, b.length);
    long[] out = new long[r];
    for (int i = 0; i < r; i++) {
      long x = i < r - a.length ? 1 : a[i - (r - a.length)];
      long y = i < r - b.length ? 1 : b[i - (r - b.length)];
      if (x != y && x != 1 && y != 1) {
        throw new IllegalArgumentException(
            "shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
      }
      out[i] = x == 1 ? y : x;
    }
    return out;
  }

  /**
   * The flat index into a tensor of dims {@code d} that broadcasts to element {@code i} of dims
   * {@code out}.
   */
  private static int index(int i, long[] out, long[] d) {
    int idx = 0;
    long stride = 1;
    int rem = i;
    for (int k = out.length - 1; k >= 0; k--) {
      int coord = (int) (rem % out[k]);
      rem /= out[k];
      int dk = k - (out.length - d.length);
      if (dk >= 0) {
        if (d[dk] != 1) {
          idx += coord * stride;
        }
        stride *= d[dk];
      }
    }
    return idx;
  }
}
