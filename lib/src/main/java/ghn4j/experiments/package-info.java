/**
 * Experiment drivers the notebooks run, built from {@code train} and {@code eval}: the recipe study
 * at equal CPU budgets ({@link ghn4j.experiments.RecipeStudy}), fine-tuning from predicted vs
 * He-initialised parameters ({@link ghn4j.experiments.InitComparison}) and how many SGD steps match
 * the predicted parameters ({@link ghn4j.experiments.SgdEquivalence}).
 */
package ghn4j.experiments;
