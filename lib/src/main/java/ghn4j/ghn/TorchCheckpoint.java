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
 * Reads PyTorch's zip checkpoint format ({@code torch.save} since 1.6: {@code <name>/data.pkl}, a pickle whose tensors
 * refer to raw little-endian storages {@code <name>/data/<key>}) without Python: the pickle is parsed with
 * razorvine's unpickler, with the few torch globals a {@code state_dict} needs resolved by this class
 * ({@code _rebuild_tensor_v2}, {@code _rebuild_parameter}, the typed storages, {@code OrderedDict}).
 */
final class TorchCheckpoint {

  private TorchCheckpoint() {}

  /** A pickled checkpoint: the top-level object with tensors materialised as float32 NDArrays in {@code manager}. */
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
        throw new IllegalArgumentException(file + ": not a PyTorch checkpoint (zip without data.pkl)");
      }
      String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
      Object root;
      try (InputStream in = zip.getInputStream(pkl)) {
        TorchUnpickler u = new TorchUnpickler();
        root = u.load(in);
        u.close();
      } catch (PickleException | ClassCastException e) {
        throw new IllegalArgumentException(file + ": cannot parse " + pkl.getName() + ": " + e.getMessage(), e);
      }
      return materialise(root, zip, prefix, file, manager);
    } catch (java.util.zip.ZipException e) {
      throw new IllegalArgumentException(
          file + ": not a PyTorch zip checkpoint or truncated (" + e.getMessage() + "); the legacy pre-1.6 "
              + "format is not supported", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read checkpoint: " + e, e);
    }
  }

  private static Object materialise(Object o, ZipFile zip, String prefix, Path file, NDManager m) throws IOException {
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

  /** A storage type global such as {@code torch.FloatStorage}. */
  private record StorageType(String name) {}

  /** A persistent storage reference: type, key of its file under {@code data/}, number of elements. */
  private record Storage(StorageType type, String key, long numel) {}

  /** A tensor view of a storage, read on demand. */
  private record TensorRef(Storage storage, long offset, long[] shape, long[] stride) {

    NDArray load(ZipFile zip, String prefix, Path file, NDManager m) throws IOException {
      String entryName = prefix + "data/" + storage.key;
      ZipEntry e = zip.getEntry(entryName);
      if (e == null) {
        throw new IllegalArgumentException(file + ": storage " + entryName + " is missing");
      }
      byte[] raw;
      try (InputStream in = zip.getInputStream(e)) {
        raw = in.readAllBytes();
      }
      int elem =
          switch (storage.type.name) {
            case "FloatStorage" -> 4;
            case "DoubleStorage", "LongStorage" -> 8;
            case "IntStorage" -> 4;
            default -> throw new IllegalArgumentException(
                file + ": storage type torch." + storage.type.name + " is not supported");
          };
      if (raw.length < storage.numel * elem) {
        throw new IllegalArgumentException(
            file + ": storage " + entryName + " has " + raw.length + " bytes, expected " + storage.numel * elem);
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

  /** An {@code OrderedDict} that accepts (and drops) the {@code _metadata} state pickled with a state_dict. */
  public static final class OrderedDict extends LinkedHashMap<Object, Object> {
    private static final long serialVersionUID = 1L;

    /** Called by the unpickler's BUILD opcode. */
    public void __setstate__(HashMap<?, ?> state) {
      // state_dict metadata (module versions) is not needed
    }
  }

  /** Resolves the torch globals itself, so no constructor is registered in razorvine's global table. */
  private static final class TorchUnpickler extends Unpickler {

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
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

    private static Object resolve(String module, String name) {
      String full = module + "." + name;
      return switch (full) {
        case "collections.OrderedDict" -> (IObjectConstructor) args -> new OrderedDict();
        case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> (IObjectConstructor) args ->
            new TensorRef((Storage) args[0], number(args[1]), longs(args[2]), longs(args[3]));
        case "torch._utils._rebuild_parameter" -> (IObjectConstructor) args -> args[0];
        default -> {
          if (module.equals("torch") && name.endsWith("Storage")) {
            yield new StorageType(name);
          }
          yield (IObjectConstructor) args -> {
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
