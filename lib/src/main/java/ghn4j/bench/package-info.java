/**
 * Speed benchmarks (numbers to read, not pass/fail tests), each run by a {@code ./ghn4j bench
 * <name>} subcommand ({@code ghn4j.cli.BenchCommand}) that prints a table: GHN prediction time
 * ({@link ghn4j.bench.PredictionBench}, on ppuda's fixture graphs {@link
 * ghn4j.bench.FixtureGhnBench}), generator and zoo speed ({@link ghn4j.bench.GeneratorBench},
 * {@link ghn4j.bench.ZooBench}) and ONNX import ({@link ghn4j.bench.OnnxImportBench}).
 * Meta-training speed is {@code ./ghn4j bench-train}.
 */
package ghn4j.bench;
