package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Reads PyTorch's zip checkpoint format ({@code torch.save} since 1.6: {@code <name>/data.pkl}, a
 * pickle whose tensors refer to raw little-endian storages {@code <name>/data/<key>}) without
 * Python: the pickle is parsed with razorvine's unpickler, with the few torch globals a {@code
 * state_dict} needs resolved by this class ({@code _rebuild_tensor_v2}, {@code _rebuild_parameter},
 * the typed storages, {@code OrderedDict}).
 *
 * <p>It also reads plain pickles of torch tensors ({@link #readPickle}: what {@code joblib.dump} or
 * {@code pickle.dump} write, e.g. GHN-3's released checkpoints). There each storage is pickled by
 * value as {@code torch.storage._load_from_bytes(b)}, {@code b} being a legacy (pre-1.6, non-zip)
 * {@code torch.save} of the storage: four pickles (magic number, protocol version, system info, the
 * storage as a persistent id), the list of storage keys, then per key an int64 element count and
 * the raw little-endian elements.
 *
 * <p>One unit (~360 lines): one unpickler (opcodes, persistent ids, storages) serving both file
 * layouts.
 */
final class TorchCheckpoint {

  private TorchCheckpoint() {}

  /**
   * A pickled checkpoint: the top-level object with tensors materialised as float32 NDArrays in
   * {@code manager}.
   */
  static Object read(Path file, NDManager manager) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry pkl = null;
      for (var it = zip.entries().asIterator(); it.hasNext(); ) {
        ZipEntry e = it.next();
        if (e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl")) {
          pkl = e;
          break;
        }
      }
      if (pkl == null) {
        throw new IllegalArgumentException(
            file + ": not a PyTorch checkpoint (zip without data.pkl)");
      }
      String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
      Object root;
      try (InputStream in = zip.getInputStream(pkl)) {
        TorchUnpickler u = new TorchUnpickler(file.toString());
        root = u.load(in);
        u.close();
      } catch (PickleException | ClassCastException e) {
        throw new IllegalArgumentException(
            file + ": cannot parse " + pkl.getName() + ": " + e.getMessage(), e);
      }
      return materialise(root, zip, prefix, file, manager);
    } catch (java.util.zip.ZipException e) {
      throw new IllegalArgumentException(
          file
              + ": not a PyTorch zip checkpoint or truncated ("
              + e.getMessage()
              + "); the legacy pre-1.6 "
              + "format is not supported",
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read checkpoint: " + e, e);
    }
  }

  /**
   * A plain pickle stream of torch tensors (joblib / pickle, storages pickled by value): the
   * top-level object with tensors materialised as float32 NDArrays in {@code manager}; {@code
   * source} names the file in errors.
   */
  static Object readPickle(InputStream in, String source, NDManager manager) {
    Object root;
    try {
      TorchUnpickler u = new TorchUnpickler(source);
      root = u.load(in);
      u.close();
    } catch (PickleException | ClassCastException e) {
      throw new IllegalArgumentException(
          source + ": cannot parse the pickle: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": cannot read: " + e, e);
    }
    try {
      return materialise(root, null, "", Path.of(source), manager);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": cannot read: " + e, e);
    }
  }

  private static Object materialise(Object o, ZipFile zip, String prefix, Path file, NDManager m)
      throws IOException {
    if (o instanceof TensorRef t) {
      return t.load(zip, prefix, file, m);
    }
    if (o instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.put(e.getKey(), materialise(e.getValue(), zip, prefix, file, m));
      }
      return out;
    }
    if (o instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object x : list) {
        out.add(materialise(x, zip, prefix, file, m));
      }
      return out;
    }
    return o;
  }

  private static int elementSize(String type, String source) {
    return switch (type) {
      case "FloatStorage", "IntStorage" -> 4;
      case "DoubleStorage", "LongStorage" -> 8;
      default ->
          throw new IllegalArgumentException(
              source + ": storage type torch." + type + " is not supported");
    };
  }

  /** A storage type global such as {@code torch.FloatStorage}. */
  private record StorageType(String name) {}

  /**
   * A persistent storage reference: type, key of its file under {@code data/}, number of elements.
   */
  private record Storage(StorageType type, String key, long numel) {}

  /** A storage whose bytes were pickled by value ({@code torch.storage._load_from_bytes}). */
  private record BytesStorage(Storage storage, byte[] data) {}

  /** A tensor view of a storage, read on demand. */
  private record TensorRef(Object source, long offset, long[] shape, long[] stride) {

    NDArray load(ZipFile zip, String prefix, Path file, NDManager m) throws IOException {
      Storage storage;
      byte[] raw;
      String entryName;
      if (source instanceof BytesStorage b) {
        storage = b.storage();
        raw = b.data();
        entryName = "storage " + storage.key;
      } else {
        storage = (Storage) source;
        entryName = prefix + "data/" + storage.key;
        if (zip == null) {
          throw new IllegalArgumentException(
              file + ": tensor refers to storage " + storage.key + " outside the file");
        }
        ZipEntry e = zip.getEntry(entryName);
        if (e == null) {
          throw new IllegalArgumentException(file + ": storage " + entryName + " is missing");
        }
        try (InputStream in = zip.getInputStream(e)) {
          raw = in.readAllBytes();
        }
      }
      int elem = elementSize(storage.type.name, file.toString());
      if (raw.length < storage.numel * elem) {
        throw new IllegalArgumentException(
            file
                + ": storage "
                + entryName
                + " has "
                + raw.length
                + " bytes, expected "
                + storage.numel * elem);
      }
      ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      float[] out = new float[Math.toIntExact(n)];
      long[] index = new long[shape.length];
      for (int i = 0; i < out.length; i++) {
        long pos = offset;
        for (int d = 0; d < shape.length; d++) {
          pos += index[d] * stride[d];
        }
        if (pos >= storage.numel) {
          throw new IllegalArgumentException(file + ": tensor view exceeds storage " + entryName);
        }
        int at = (int) (pos * elem);
        out[i] =
            switch (storage.type.name) {
              case "FloatStorage" -> buf.getFloat(at);
              case "DoubleStorage" -> (float) buf.getDouble(at);
              case "LongStorage" -> buf.getLong(at);
              default -> buf.getInt(at);
            };
        for (int d = shape.length - 1; d >= 0; d--) {
          if (++index[d] < shape[d]) {
            break;
          }
          index[d] = 0;
        }
      }
      return m.create(out, new Shape(shape));
    }
  }

  /**
   * An {@code OrderedDict} that accepts (and drops) the {@code _metadata} state pickled with a
   * state_dict.
   */
  public static final class OrderedDict extends LinkedHashMap<Object, Object> {
    private static final long serialVersionUID = 1L;

    /** Called by the unpickler's BUILD opcode. */
    public void __setstate__(HashMap<?, ?> state) {
      // state_dict metadata (module versions) is not needed
    }
  }

  /**
   * Resolves the torch globals itself, so no constructor is registered in razorvine's global table.
   */
  private static final class TorchUnpickler extends Unpickler {

    private final String source;

    TorchUnpickler(String source) {
      this.source = source;
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
      if (key == Opcodes.MEMOIZE && stack.size() > 0 && stack.peek() instanceof byte[]) {
        // a storage pickled by value (joblib): its bytes are read once and never referenced again,
        // so they are not
        // kept in the memo (it would hold a copy of the whole checkpoint until the end of
        // unpickling)
        memo.put(memo.size(), null);
        return NO_RETURN_VALUE;
      }
      if (key == Opcodes.GLOBAL) {
        String module = PickleUtils.readline(input);
        String name = PickleUtils.readline(input);
        stack.add(resolve(module, name));
        return NO_RETURN_VALUE;
      }
      if (key == Opcodes.STACK_GLOBAL) {
        String name = (String) stack.pop();
        String module = (String) stack.pop();
        stack.add(resolve(module, name));
        return NO_RETURN_VALUE;
      }
      return super.dispatch(key);
    }

    private Object resolve(String module, String name) {
      String full = module + "." + name;
      return switch (full) {
        case "collections.OrderedDict" -> (IObjectConstructor) args -> new OrderedDict();
        case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" ->
            (IObjectConstructor)
                args -> new TensorRef(args[0], number(args[1]), longs(args[2]), longs(args[3]));
        case "torch.storage._load_from_bytes" ->
            (IObjectConstructor) args -> legacyStorage((byte[]) args[0], source);
        case "torch._utils._rebuild_parameter" -> (IObjectConstructor) args -> args[0];
        default -> {
          if (module.equals("torch") && name.endsWith("Storage")) {
            yield new StorageType(name);
          }
          yield (IObjectConstructor)
              args -> {
                throw new PickleException("unsupported global " + full + " in checkpoint");
              };
        }
      };
    }

    @Override
    protected Object persistentLoad(Object pid) {
      Object[] t = (Object[]) pid;
      if (t.length < 5 || !"storage".equals(t[0]) || !(t[1] instanceof StorageType type)) {
        throw new PickleException("unsupported persistent id " + java.util.Arrays.toString(t));
      }
      return new Storage(type, String.valueOf(t[2]), number(t[4]));
    }

    /** Parses the legacy {@code torch.save} bytes of one storage (see the class comment). */
    private static BytesStorage legacyStorage(byte[] bytes, String source) {
      try {
        java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(bytes);
        for (int i = 0; i < 3; i++) { // magic number, protocol version, system info
          new Unpickler().load(in);
        }
        TorchUnpickler u = new TorchUnpickler(source);
        Object root = u.load(in);
        if (!(root instanceof Storage storage)) {
          throw new PickleException("expected a storage, got " + root);
        }
        Object keys = new Unpickler().load(in);
        if (!(keys instanceof List<?> k)
            || k.size() != 1
            || !String.valueOf(k.get(0)).equals(storage.key)) {
          throw new PickleException(
              "expected the storage key list [" + storage.key + "], got " + keys);
        }
        byte[] count = in.readNBytes(8);
        if (count.length != 8) {
          throw new PickleException("storage " + storage.key + " is truncated");
        }
        long numel = ByteBuffer.wrap(count).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int elem = elementSize(storage.type.name, source);
        byte[] data = in.readNBytes(Math.toIntExact(numel * elem));
        if (numel != storage.numel || data.length != numel * elem) {
          throw new PickleException(
              "storage "
                  + storage.key
                  + " holds "
                  + data.length
                  + " bytes, expected "
                  + storage.numel * elem);
        }
        return new BytesStorage(storage, data);
      } catch (IOException e) {
        throw new PickleException("unreadable pickled storage: " + e.getMessage());
      }
    }

    private static long number(Object o) {
      return ((Number) o).longValue();
    }

    private static long[] longs(Object o) {
      Object[] a = (Object[]) o;
      long[] out = new long[a.length];
      for (int i = 0; i < a.length; i++) {
        out[i] = number(a[i]);
      }
      return out;
    }
  }
}
