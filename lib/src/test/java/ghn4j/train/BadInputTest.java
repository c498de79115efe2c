package ghn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ghn4j.data.Batch;
import ghn4j.data.ImageSet;
import ghn4j.ghn.Ghn;
import ghn4j.graph.Graph;
import ghn4j.io.AtomicFiles;
import ghn4j.nn.Devices;
import ghn4j.optim.Adam;
import ghn4j.optim.ParamArrays;
import ghn4j.testing.TinyData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows of {@code docs/bad-inputs.md} about training runs: truncated and foreign checkpoints, a NaN
 * loss, a full disk during a checkpoint write, a read-only output directory, a torn or corrupt
 * metrics line. Each asserts what the input gives: the error naming the file/field, or the
 * documented tolerance.
 */
class BadInputTest {

  @TempDir Path tmp;

  private Path finishedRun(ImageSet images) throws IOException {
    Path run = tmp.resolve("run");
    try (MetaTrainer t =
        MetaTrainer.start(
            TinyData.tinyConfig(1, 0), TinyData.cifar(images), TinyData.tinyNets(), run)) {
      t.run(null);
    }
    return run;
  }

  @Test
  void truncatedCheckpointIsAnErrorNamingTheFile() throws IOException {
    ImageSet images = TinyData.images(8, 8, 5);
    Path run = finishedRun(images);
    Path ck = run.resolve(MetaTrainer.CHECKPOINT);
    byte[] b = Files.readAllBytes(ck);
    Files.write(ck, Arrays.copyOf(b, b.length / 2));
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> MetaTrainer.resume(run, TinyData.cifar(images), TinyData.tinyNets(), null));
    assertTrue(e.getMessage().contains(ck.toString()), e.getMessage());
  }

  @Test
  void foreignCheckpointNamesTheMissingTensor() throws IOException {
    ImageSet images = TinyData.images(8, 8, 5);
    Path run = finishedRun(images);
    // a GHN export (weights without "ghn." prefixes, no optimizer state) put where the checkpoint
    // belongs
    Files.copy(
        run.resolve(MetaTrainer.GHN),
        run.resolve(MetaTrainer.CHECKPOINT),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MetaTrainer.resume(run, TinyData.cifar(images), TinyData.tinyNets(), null));
    assertTrue(
        e.getMessage().contains(MetaTrainer.CHECKPOINT)
            && e.getMessage().contains("lacks GHN tensor ghn."),
        e.getMessage());
  }

  @Test
  void nanLossMakesNoUpdateAndSaysWhy() {
    try (NDManager m = Devices.newManager()) {
      Ghn ghn = Ghn.create(TinyData.ghn(true, true, true), m, 3);
      NDArray w = ghn.parameters().get("decoder.fc.0.weight");
      float[] nan = new float[(int) w.size()];
      Arrays.fill(nan, Float.NaN);
      boolean grad = ParamArrays.setGradMode(false);
      w.set(java.nio.FloatBuffer.wrap(nan));
      ParamArrays.setGradMode(grad);
      Map<String, float[]> before = new java.util.LinkedHashMap<>();
      ghn.parameters().forEach((k, v) -> before.put(k, v.toFloatArray()));
      MetaStep step = new MetaStep(ghn, Adam.pytorch(ghn.parameters(), m, 1e-5), m, 5, true);
      Graph g = ghn4j.deepnets.NetworkBuilder.graph(TinyData.dartsArgs(8, 1));
      float[] x = new float[8 * 3 * 8 * 8];
      java.util.Random r = new java.util.Random(1);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) r.nextGaussian();
      }
      Batch batch =
          new Batch(0, 0, 0, x, new long[] {0, 1, 2, 3, 0, 1, 2, 3}, new long[] {8, 3, 8, 8});
      MetaStep.Outcome o = step.run(List.of(g), batch, 1e-3, 1);
      assertFalse(o.applied());
      assertTrue(o.failure().startsWith("loss NaN"), o.failure());
      ghn.parameters().forEach((k, v) -> assertArrayEquals(before.get(k), v.toFloatArray(), 0f, k));
    }
  }

  @Test
  void fullDiskDuringACheckpointWriteLeavesTheOldOne() throws IOException {
    Path ck = tmp.resolve("checkpoint.safetensors");
    Files.writeString(ck, "the previous checkpoint");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicFiles.write(
                    ck,
                    out -> {
                      out.write(new byte[1 << 16]);
                      throw new IOException(
                          "No space left on device"); // what write(2) gives on a full disk (ENOSPC)
                    }));
    assertEquals("No space left on device", e.getMessage());
    assertEquals("the previous checkpoint", Files.readString(ck));
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of(ck), s.toList(), "the temporary file is removed");
    }
  }

  @Test
  void readOnlyOutputDirectoryIsAnErrorNamingThePath() throws IOException {
    ImageSet images = TinyData.images(8, 8, 5);
    Path ro = Files.createDirectory(tmp.resolve("ro"));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    Path parent = ro;
    if (Files.isWritable(ro)) {
      // root ignores permission bits: sysfs refuses new entries even to root
      parent = Path.of("/sys");
    }
    Path run = parent.resolve("ghn4j-run");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                MetaTrainer.start(
                    TinyData.tinyConfig(1, 0), TinyData.cifar(images), TinyData.tinyNets(), run));
    assertTrue(e.getMessage().contains(run.toString()), e.getMessage());
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void tornLastMetricsLineIsDroppedAndACorruptMiddleLineNamed() throws IOException {
    Path f = tmp.resolve("metrics.jsonl");
    Files.writeString(f, "{\"epoch\":0,\"loss\":1}\n{\"epoch\":1,\"loss\":2}\n{\"epoch\":2,\"lo");
    MetricsLog.keepBelow(f, "epoch", 5);
    assertEquals("{\"epoch\":0,\"loss\":1}\n{\"epoch\":1,\"loss\":2}\n", Files.readString(f));
    Files.writeString(f, "{\"step\":0}\ngarbage\n{\"step\":1}\n");
    IOException e = assertThrows(IOException.class, () -> MetricsLog.keepBelow(f, "step", 5));
    assertTrue(e.getMessage().contains(f + ": line 2"), e.getMessage());
  }
}
