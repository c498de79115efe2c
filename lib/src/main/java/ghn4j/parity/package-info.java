/**
 * Checks against the ppuda reference fixtures: {@link ghn4j.parity.ParityCheck} runs every
 * parameter-count, graph, prediction, embedding and logits check a fixture directory supports,
 * {@link ghn4j.parity.ParityTable} prints them.
 */
package ghn4j.parity;
