/**
 * Graph hypernetworks: GHN-2 (Knyazev et al., "Parameter Prediction for Unseen Deep Architectures",
 * NeurIPS 2021), GHN-1 and the MLP baseline, numerically equivalent to facebookresearch/ppuda; and
 * GHN-3 (Knyazev et al., "Can We Scale Transformers to Predict Parameters of Diverse ImageNet
 * Models?", ICML 2023), equivalent to SamsungSAILMontreal/ghn3.
 *
 * <p>Where each part of the paper lives:
 *
 * <ul>
 *   <li>Entry point, the forward pass of Fig. 1 and {@code predict_class_layers}: {@link
 *       ghn4j.ghn.Ghn}; results: {@link ghn4j.ghn.Predictions}; hyper-parameters and presets:
 *       {@link ghn4j.ghn.GhnConfig}.
 *   <li>Initial node features (op embedding + shape embedding, Sec. 3 / Appendix): {@code
 *       OpEmbedding}, with the channel/kernel vocabularies and nearest-size mapping in {@code
 *       ShapeVocabulary}.
 *   <li>Gated GNN, forward and backward traversal (Eq. 3), virtual edges with 1/s-weighted messages
 *       (Eq. 4): {@code GatedGnn} — virtual edges enter the message there; the level schedule is
 *       {@code Wavefronts}; the shared GRU cell is {@code GruCell}. Virtual edges themselves are
 *       computed by {@link ghn4j.graph.VirtualEdges}.
 *   <li>The message-passing extension point: {@link ghn4j.ghn.Hypernet} (receives a {@link
 *       ghn4j.ghn.GnnInput}: node features, edges with distances, per-graph offsets; returns node
 *       states), implemented by {@link ghn4j.ghn.GatedGnn}, {@link ghn4j.ghn.NodeMlp} and {@link
 *       ghn4j.ghn.Graphormer}; {@code Ghn.withHypernet} plugs in another one.
 *   <li>MLP baseline (no message passing): {@link ghn4j.ghn.NodeMlp}; the two-layer MLP blocks:
 *       {@code Mlps}.
 *   <li>Layer normalisation of node embeddings (Sec. 4.2): in {@link ghn4j.ghn.Ghn}.
 *   <li>Decoding: grouping of tensors by shape key {@code DecodeKey}; the convolutional decoder and
 *       the classifier predictor {@code ConvDecoder}; 1-D weights/biases and the classifier bias
 *       {@code VectorDecoder}; slicing and tiling to the exact target shape {@code ParamTiling}.
 *   <li>Parameter normalisation (Sec. 4.3, fan-in scheme, BN/bias squashing): {@code
 *       FanInNormalization}.
 *   <li>Weights by ppuda {@code state_dict} name and their initialisation: {@link
 *       ghn4j.ghn.GhnWeights}; checkpoints: {@code GhnCheckpoint} (ours: safetensors + JSON) and
 *       {@code TorchCheckpoint} (ppuda's {@code .pt}).
 *   <li>Reference comparison (fixtures, parity command): {@link ghn4j.parity.PredictionCheck};
 *       timing: {@link ghn4j.bench.FixtureGhnBench}.
 *   <li>GHN-3: entry point {@link ghn4j.ghn.Ghn3} (forward, group keys incl. ViT's 4-D positional
 *       embedding); config {@link ghn4j.ghn.Ghn3Config} (ghn3's argument names, layout of the
 *       released state_dict, inference from names/shapes as {@code from_pretrained}); Graphormer
 *       layers with degree, input-distance and edge embeddings {@link ghn4j.ghn.Graphormer};
 *       decoder with centred kernel windows and the class-layer predictor {@code ConvDecoder3};
 *       ghn3's {@code _tile_params} incl. the random class-token row {@code Ghn3Tiling};
 *       checkpoints {@code Ghn3Checkpoint} (joblib plain/zlib via {@code Joblib}, torch.save,
 *       safetensors); the class-token-aware digest check {@link ghn4j.parity.Ghn3Check}.
 * </ul>
 */
package ghn4j.ghn;
