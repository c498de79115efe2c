/**
 * Architecture search with property predictors (the paper's Section 5.3 search on the {@code
 * search} split): rank candidate nets by the properties an SVR predicts from their GHN embeddings,
 * train the top-ranked and randomly chosen ones with SGD under the same budget, and compare ({@link
 * ghn4j.search.ArchitectureSearch}).
 */
package ghn4j.search;
