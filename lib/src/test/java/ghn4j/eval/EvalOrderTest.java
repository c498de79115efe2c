package ghn4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.data.ImageSet;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EvalOrderTest {

  /** 10 classes x 200 images stored class after class, as an ImageFolder copy is; 2 bytes = id. */
  private static ImageSet classSorted() {
    int n = 2_000;
    byte[] pixels = new byte[2 * n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      pixels[2 * i] = (byte) (i >> 8);
      pixels[2 * i + 1] = (byte) i;
      labels[i] = i / 200;
    }
    List<String> classes = IntStream.range(0, 10).mapToObj(c -> "c" + c).toList();
    return ImageSet.of(pixels, labels, classes, 1, 1, 2);
  }

  private static int id(ImageSet s, int i) {
    byte[] p = s.pixels(i);
    return ((p[0] & 0xff) << 8) | (p[1] & 0xff);
  }

  @Test
  void everyBatchOfAClassSortedSetMixesTheClasses() {
    ImageSet sorted = classSorted();
    ImageSet order = EvalOrder.of(sorted);
    for (int start = 0; start + 64 <= order.size(); start += 64) {
      Set<Integer> classes = new HashSet<>();
      for (int i = start; i < start + 64; i++) {
        classes.add(order.label(i));
      }
      assertTrue(classes.size() >= 7, "batch at " + start + " holds only classes " + classes);
    }
    // in the stored order a batch of 64 holds one or two classes: what the evaluation must avoid
    Set<Integer> first = new HashSet<>();
    for (int i = 0; i < 64; i++) {
      first.add(sorted.label(i));
    }
    assertEquals(Set.of(0), first);
  }

  @Test
  void theOrderIsAFixedPermutationOfTheSameImages() {
    ImageSet sorted = classSorted();
    ImageSet a = EvalOrder.of(sorted);
    ImageSet b = EvalOrder.of(sorted);
    int[] idsA = IntStream.range(0, a.size()).map(i -> id(a, i)).toArray();
    int[] idsB = IntStream.range(0, b.size()).map(i -> id(b, i)).toArray();
    assertArrayEquals(idsA, idsB, "the same order every time");
    int[] idsSorted = idsA.clone();
    Arrays.sort(idsSorted);
    assertArrayEquals(IntStream.range(0, 2_000).toArray(), idsSorted, "every image exactly once");
    for (int i = 0; i < a.size(); i++) {
      assertEquals(idsA[i] / 200, a.label(i), "labels travel with their images");
    }
  }
}
