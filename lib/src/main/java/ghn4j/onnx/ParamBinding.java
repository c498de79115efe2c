package ghn4j.onnx;

/**
 * Where a graph parameter lives in the ONNX file: the initializer that holds it, and whether that
 * initializer is the parameter's transpose ({@code MatMul} and {@code Gemm transB=0} store a linear
 * weight {@code [out, in]} as {@code [in, out]}). Writers that put predicted parameters back into
 * the file transpose those.
 *
 * @param param the parameter's name in the graph (its {@code state_dict} name when exported from
 *     PyTorch)
 * @param initializer the ONNX initializer that holds the values: {@code param} itself, except for
 *     tensors PyTorch's exporter deduplicated (equal tensors are written once; the others are
 *     {@code Identity} nodes of that initializer, named by their own parameter name — e.g. all
 *     BatchNorm weights of an untrained net)
 * @param transposed whether the initializer holds the 2-D parameter transposed
 */
public record ParamBinding(String param, String initializer, boolean transposed) {}
