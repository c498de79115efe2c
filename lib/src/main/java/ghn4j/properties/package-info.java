/**
 * Predicting properties of architectures from graph embeddings (the paper's Section 5.3 / ppuda's
 * {@code experiments/property_prediction.py}): ground-truth SGD runs that measure four properties
 * per net ({@link ghn4j.properties.GroundTruth}, cached as JSON lines by {@link
 * ghn4j.properties.PropertyCache}), or the published per-net results ({@link
 * ghn4j.properties.ReferenceResults}); features per net (mean GHN node embedding or simple graph
 * statistics, {@link ghn4j.properties.Features}); an RBF support-vector regressor with ppuda's grid
 * search ({@link ghn4j.properties.Svr}, Tribuo's LibSVM); and Kendall's tau between predicted and
 * true values ({@link ghn4j.properties.KendallTau}, {@link ghn4j.properties.PropertyPrediction}).
 */
package ghn4j.properties;
