package ghn4j.nn;

import ghn4j.graph.Op;
import ghn4j.graph.Ops;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable map from op record types to the {@link OpKernel}s that run them. {@link #standard()}
 * covers every op in {@link Ops}; {@link #with(Class, OpKernel)} returns a copy with one kernel
 * added or replaced (e.g. to try a new op or to instrument one).
 */
public final class KernelRegistry {

  private final Map<Class<? extends Op>, OpKernel> kernels;

  private KernelRegistry(Map<Class<? extends Op>, OpKernel> kernels) {
    this.kernels = Map.copyOf(kernels);
  }

  /** Kernels for all of {@link Ops}, with PyTorch semantics. */
  public static KernelRegistry standard() {
    Map<Class<? extends Op>, OpKernel> m = new LinkedHashMap<>();
    m.put(Ops.Input.class, StandardKernels::input);
    m.put(Ops.Conv.class, StandardKernels::conv);
    m.put(Ops.Linear.class, StandardKernels::linear);
    m.put(Ops.Bias.class, StandardKernels::bias);
    m.put(Ops.BatchNorm.class, StandardKernels::batchNorm);
    m.put(Ops.LayerNorm.class, StandardKernels::layerNorm);
    m.put(Ops.MaxPool.class, StandardKernels::maxPool);
    m.put(Ops.AvgPool.class, StandardKernels::avgPool);
    m.put(Ops.GlobalAvgPool.class, StandardKernels::globalAvgPool);
    m.put(Ops.AdaptiveAvgPool.class, StandardKernels::adaptiveAvgPool);
    m.put(Ops.Activation.class, StandardKernels::activation);
    m.put(Ops.Sum.class, StandardKernels::sum);
    m.put(Ops.Concat.class, StandardKernels::concat);
    m.put(Ops.ChannelScale.class, StandardKernels::channelScale);
    m.put(Ops.Scale.class, StandardKernels::scale);
    m.put(Ops.Flatten.class, StandardKernels::flatten);
    m.put(Ops.Subsample.class, StandardKernels::subsample);
    m.put(Ops.PosEnc.class, StandardKernels::posEnc);
    m.put(Ops.LearnedTensor.class, StandardKernels::learnedTensor);
    m.put(Ops.ToTokens.class, StandardKernels::toTokens);
    m.put(Ops.ToImage.class, StandardKernels::toImage);
    m.put(Ops.Attention.class, StandardKernels::attention);
    m.put(Ops.Dropout.class, StandardKernels::dropout);
    m.put(Ops.ChannelShuffle.class, StandardKernels::channelShuffle);
    m.put(Ops.Narrow.class, StandardKernels::narrow);
    return new KernelRegistry(m);
  }

  /** A copy of this registry where ops of type {@code opType} run with {@code kernel}. */
  public KernelRegistry with(Class<? extends Op> opType, OpKernel kernel) {
    Map<Class<? extends Op>, OpKernel> m = new LinkedHashMap<>(kernels);
    m.put(opType, kernel);
    return new KernelRegistry(m);
  }

  /** The kernel for {@code op}, if one is registered for its type. */
  public Optional<OpKernel> kernelFor(Op op) {
    return Optional.ofNullable(kernels.get(op.getClass()));
  }
}
