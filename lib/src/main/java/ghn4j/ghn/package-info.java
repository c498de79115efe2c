/**
 * Graph hypernetworks: GHN-2 (Knyazev et al., "Parameter Prediction for Unseen Deep Architectures", NeurIPS 2021),
 * GHN-1 and the MLP baseline, numerically equivalent to facebookresearch/ppuda.
 *
 * <p>Where each part of the paper lives:
 *
 * <ul>
 *   <li>Entry point, the forward pass of Fig. 1 and {@code predict_class_layers}: {@link ghn4j.ghn.Ghn};
 *       results: {@link ghn4j.ghn.Predictions}; hyper-parameters and presets: {@link ghn4j.ghn.GhnConfig}.
 *   <li>Initial node features (op embedding + shape embedding, Sec. 3 / Appendix): {@code OpEmbedding}, with the
 *       channel/kernel vocabularies and nearest-size mapping in {@code ShapeVocabulary}.
 *   <li>Gated GNN, forward and backward traversal (Eq. 3), virtual edges with 1/s-weighted messages (Eq. 4):
 *       {@code GatedGnn} — virtual edges enter the message there; the level schedule is {@code Wavefronts}; the
 *       shared GRU cell is {@code GruCell}. Virtual edges themselves are computed by
 *       {@link ghn4j.graph.VirtualEdges}.
 *   <li>MLP baseline (no message passing) and the two-layer MLP blocks: {@code Mlps}.
 *   <li>Layer normalisation of node embeddings (Sec. 4.2): in {@link ghn4j.ghn.Ghn}.
 *   <li>Decoding: grouping of tensors by shape key {@code DecodeKey}; the convolutional decoder and the classifier
 *       predictor {@code ConvDecoder}; 1-D weights/biases and the classifier bias {@code VectorDecoder}; slicing and
 *       tiling to the exact target shape {@code ParamTiling}.
 *   <li>Parameter normalisation (Sec. 4.3, fan-in scheme, BN/bias squashing): {@code FanInNormalization}.
 *   <li>Weights by ppuda {@code state_dict} name and their initialisation: {@link ghn4j.ghn.GhnWeights};
 *       checkpoints: {@code GhnCheckpoint} (ours: safetensors + JSON) and {@code TorchCheckpoint} (ppuda's
 *       {@code .pt}).
 *   <li>Reference comparison (fixtures, parity command): {@link ghn4j.ghn.PredictionCheck}; timing:
 *       {@link ghn4j.ghn.GhnBench}.
 * </ul>
 */
package ghn4j.ghn;
