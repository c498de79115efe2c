package ghn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ghn4j.testing.Fixtures;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full preparation from the shared 60,000-JPEG archive and a reload of the cache; prints both
 * times (speed targets are reported, not asserted: prepare well under a minute, load under 2 s).
 */
class SharedArchiveTest {

  @TempDir Path tmp;

  @Test
  void preparesTheSharedArchiveAndReloadsIt() throws IOException {
    Path archive = TestData.sharedArchive();
    long t0 = System.nanoTime();
    Cifar10 prepared =
        Cifar10.prepare(
            archive.toString(),
            null,
            tmp,
            new Cifar10.Official(URI.create("http://127.0.0.1:9/none"), Cifar10.OFFICIAL_MD5));
    long t1 = System.nanoTime();
    Cifar10 loaded = Cifar10.load(tmp);
    long t2 = System.nanoTime();
    System.out.printf(
        "shared archive: prepare %.1f s, load %.2f s (%d + %d images)%n",
        (t1 - t0) / 1e9, (t2 - t1) / 1e9, loaded.train().size(), loaded.test().size());

    assertEquals(TestData.CLASSES, loaded.classes());
    assertEquals(50_000, loaded.train().size());
    assertEquals(10_000, loaded.test().size());
    int[] perClass = new int[10];
    for (int label : loaded.train().labels()) {
      perClass[label]++;
    }
    assertArrayEquals(
        new int[] {5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000}, perClass);
    assertEquals(9, loaded.test().label(9_999));
    for (int i : new int[] {0, 12_345, 49_999}) {
      assertArrayEquals(prepared.train().pixels(i), loaded.train().pixels(i));
    }

    // End to end (archive -> cache -> normalised tensor) against the reference inputs:
    // test/<class>/0000.jpg for the
    // 10 classes, then 0001.jpg for the first 6; the test split is class by class, 1000 images
    // each.
    float[] expected =
        ReferenceInputsTest.readF32(
            Fixtures.dir().resolve("inputs.safetensors"), "input", new long[] {16, 3, 32, 32});
    int[] indices = new int[16];
    for (int k = 0; k < 16; k++) {
      indices[k] = (k % 10) * 1000 + k / 10;
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] got = loaded.test().toNDArray(manager, indices, true).toFloatArray();
      double maxAbs = 0;
      for (int i = 0; i < got.length; i++) {
        maxAbs = Math.max(maxAbs, Math.abs(got[i] - expected[i]));
      }
      System.out.printf("cache vs reference inputs: max |diff| %.3g%n", maxAbs);
      assertTrue(maxAbs <= 1e-6, "max |diff| " + maxAbs);
      assertArrayEquals(
          new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5},
          loaded.test().labels(manager, indices).toLongArray());
    }
  }
}
