/**
 * Speed benchmarks (numbers to read, not pass/fail tests), each run by a {@code ./ghn4j bench
 * <name>} subcommand ({@code ghn4j.cli.BenchCommand}) that prints a table: GHN prediction time
 * ({@link ghn4j.bench.PredictionBench}, on ppuda's fixture graphs {@link
 * ghn4j.bench.FixtureGhnBench}), generator and zoo speed ({@link ghn4j.bench.GeneratorBench},
 * {@link ghn4j.bench.ZooBench}), ONNX import ({@link ghn4j.bench.OnnxImportBench}) and GHN-3
 * prediction ({@link ghn4j.bench.Ghn3Bench}). Meta-training speed is {@code ./ghn4j bench-train}
 * and {@code ./ghn4j bench workers} (their code is in {@code ghn4j.cli}).
 */
package ghn4j.bench;
