package ghn4j.cli;

import ghn4j.parity.Ghn3ParityCheck;
import ghn4j.parity.ParityCheck;
import ghn4j.parity.ParityTable;
import ghn4j.parity.ReferenceFixtures;
import ghn4j.parity.Row;
import ghn4j.parity.TrainingTraceCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ghn4j parity --fixtures DIR}: runs every check of {@link ParityCheck} on a reference
 * fixture directory and replays its meta-training traces ({@link TrainingTraceCheck}, {@code
 * DIR/training/*.trace.json}), prints the table as rows complete and a summary; exits 1 when any
 * check fails.
 */
@Command(
    name = "parity",
    mixinStandardHelpOptions = true,
    description =
        "Check parameter counts, graphs, GHN predictions, embeddings, logits and meta-training updates "
            + "against ppuda fixtures (or, for a GHN-3 fixture directory, checkpoints, predictions and embeddings against "
            + "ghn3's).")
public final class ParityCommand implements Callable<Integer> {

  @Option(names = "--fixtures", required = true, description = "the reference fixture directory")
  Path fixtures;

  /**
   * Accepted for scripts written when parity had a "known difference" outcome; every mismatch fails
   * now.
   */
  @Option(names = "--strict", hidden = true)
  boolean strict;

  @Override
  public Integer call() {
    long t0 = System.nanoTime();
    System.out.println(ParityTable.header());
    if (Ghn3ParityCheck.isGhn3Root(fixtures)) {
      // GHN-3 fixtures (ghn3's exports): a check of their own, see Ghn3ParityCheck
      Ghn3ParityCheck ghn3 = new Ghn3ParityCheck(fixtures);
      List<String> notes = new java.util.ArrayList<>();
      List<Row> rows = ghn3.run(r -> System.out.println(ParityTable.format(r)), notes::add);
      notes.forEach(n -> System.out.println("note: " + n));
      System.out.println(ParityTable.timings(ghn3.timings()));
      System.out.println(
          ParityTable.summary(rows) + String.format(" (%.1f s)", (System.nanoTime() - t0) / 1e9));
      return rows.isEmpty() || ParityTable.failed(rows) ? 1 : 0;
    }
    ReferenceFixtures fx = ReferenceFixtures.discover(fixtures);
    ParityCheck check = new ParityCheck(fx);
    List<Row> rows = new ArrayList<>(check.run(r -> System.out.println(ParityTable.format(r))));
    System.out.println(ParityTable.timings(check.timings()));
    // meta-training traces (training/*.trace.json), replayed with the trainer's own update
    long t1 = System.nanoTime();
    rows.addAll(new TrainingTraceCheck(fx).run(r -> System.out.println(ParityTable.format(r))));
    System.out.printf("time: training traces %.1f s%n", (System.nanoTime() - t1) / 1e9);
    System.out.println(
        ParityTable.summary(rows) + String.format(" (%.1f s)", (System.nanoTime() - t0) / 1e9));
    return ParityTable.failed(rows) ? 1 : 0;
  }
}
