/**
 * Tables, charts and pictures of ghn4j's results for the notebooks: Tablesaw tables (e.g. the
 * DeepNets-1M Table-1 statistics), XChart charts (histograms of a split), images (predicted
 * filters) and graph drawings. Each class holds one kind of figure, so that a notebook cell stays a
 * line or two. Also the plumbing the notebooks share (which GHN checkpoint they load, run folders,
 * the closing self-check), so that their cells show the experiment.
 */
package ghn4j.report;
