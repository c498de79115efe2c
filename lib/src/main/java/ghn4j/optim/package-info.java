/**
 * Optimisers behind one interface ({@link ghn4j.optim.ParamOptimizer}): Adam as {@code
 * torch.optim.Adam} for meta-training, SGD with momentum and AdamW for training nets, the learning
 * rate schedules, and the plain-array helpers (gradient norm, clipping) they share. State is kept
 * as arrays so that checkpoints resume bit-exactly.
 */
package ghn4j.optim;
