package ghn4j.deepnets;

import java.util.OptionalInt;

/**
 * One generated net as stored in a split file.
 *
 * @param index position in its split
 * @param args how to build it (for evaluation splits with the chosen C; for train/search C = 32 and
 *     fc_dim = 256, the widths being re-drawn at training time by {@link TrainingWidth})
 * @param numParams parameter count of the net as built from {@code args} (CIFAR-10 stem), dead ops
 *     included
 * @param numParamsImagenet the same with the ImageNet stem
 * @param numNodes nodes of its primitive graph, when a graph builder was available
 */
public record SampledNet(
    int index, NetArgs args, long numParams, long numParamsImagenet, OptionalInt numNodes) {}
