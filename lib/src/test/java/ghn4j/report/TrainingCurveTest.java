package ghn4j.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

class TrainingCurveTest {

  @TempDir Path dir;

  private static String step(long s, double loss, double acc) {
    return String.format(
        java.util.Locale.ROOT,
        "{\"type\":\"step\",\"step\":%d,\"loss\":%s,\"acc\":%s,\"lr\":0.001,\"elapsed_s\":%d,\"nets\":[1]}",
        s,
        loss,
        acc,
        s);
  }

  @Test
  void readsStepLinesSkipsOthersAndACutLastLine() throws Exception {
    Path f = dir.resolve("metrics.jsonl");
    Files.writeString(
        f,
        step(1, 2.3, 10)
            + "\n{\"type\":\"skipped\",\"step\":2}\n"
            + step(2, 2.1, 20)
            + "\n"
            + step(3, 1.9, 30)
            + "\n{\"type\":\"step\",\"step\":4,\"lo");
    TrainingCurve c = TrainingCurve.read(f);
    assertEquals(3, c.points().size());
    assertEquals(2, c.points().get(1).step());
    assertEquals(2.1, c.points().get(1).loss(), 0);
    assertArrayEquals(new double[] {2.0, 25.0}, c.tailMean(2), 1e-12);
    assertArrayEquals(new double[] {2.2, 15.0}, c.headMean(2), 1e-12);
    assertArrayEquals(new double[] {2.1, 20.0}, c.headMean(10), 1e-12);
    XYChart chart = c.chart("run", 2);
    assertEquals(3, chart.getSeriesMap().size());
  }

  @Test
  void aBrokenLineInTheMiddleNamesFileAndLine() throws Exception {
    Path f = dir.resolve("metrics.jsonl");
    Files.writeString(f, step(1, 2.3, 10) + "\nnot json\n" + step(2, 2.1, 20) + "\n");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> TrainingCurve.read(f));
    assertTrue(e.getMessage().contains("metrics.jsonl:2"), e.getMessage());
    Files.writeString(
        f,
        "{\"type\":\"step\",\"step\":1,\"acc\":3,\"lr\":1,\"elapsed_s\":1}\n"
            + step(2, 2.1, 20)
            + "\n");
    e = assertThrows(UncheckedIOException.class, () -> TrainingCurve.read(f));
    assertTrue(e.getMessage().contains("'loss'"), e.getMessage());
  }

  @Test
  void movingMedianIsTrailingSkipsNaNAndIgnoresSpikes() {
    double[] m = TrainingCurve.movingMedian(new double[] {1, 3, Double.NaN, 1e11, 5, 7}, 3);
    // windows: [1], [1,3], [1,3,NaN], [3,NaN,1e11], [NaN,1e11,5], [1e11,5,7]
    assertArrayEquals(new double[] {1, 2, 2, (3 + 1e11) / 2, (5 + 1e11) / 2, 7}, m, 1e-6);
    assertEquals(2.5, TrainingCurve.median(new double[] {4, 1, 3, 2}), 1e-12);
    assertTrue(Double.isNaN(TrainingCurve.median(new double[] {Double.NaN})));
    assertThrows(
        IllegalArgumentException.class, () -> TrainingCurve.movingMedian(new double[] {1}, 0));
  }

  @Test
  void movingAverageIsTrailingAndSkipsNaN() {
    double[] m = TrainingCurve.movingAverage(new double[] {1, 3, Double.NaN, 5, 7}, 2);
    assertArrayEquals(new double[] {1, 2, 3, 5, 6}, m, 1e-12);
    assertThrows(
        IllegalArgumentException.class, () -> TrainingCurve.movingAverage(new double[] {1}, 0));
  }
}
