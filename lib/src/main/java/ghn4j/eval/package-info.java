/**
 * Evaluation of predicted parameters (the paper's Table 2): which nets a split evaluates, their
 * CIFAR-10 / ImageNet top-1 with BatchNorm on batch statistics as ppuda, summaries and the per-net
 * results file, and BatchNorm re-calibration for exported models. Training uses it for its
 * accuracies; it does not depend on training.
 */
package ghn4j.eval;
