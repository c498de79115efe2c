/**
 * Checks against the reference fixtures. ppuda's: {@link ghn4j.parity.ParityCheck} runs every
 * parameter-count, graph, prediction, embedding and logits check a fixture directory supports (one
 * net's checks in {@link ghn4j.parity.NetParityRun}) and {@link ghn4j.parity.TrainingTraceCheck}
 * replays the recorded meta-training updates. ghn3's GHN-3 fixtures: {@link
 * ghn4j.parity.Ghn3ParityCheck} (weight files in {@link ghn4j.parity.Ghn3WeightCheck}, graphs in
 * {@link ghn4j.parity.Ghn3GraphCheck}). {@link ghn4j.parity.ParityTable} prints the rows.
 */
package ghn4j.parity;
