package ghn4j.onnx;

/**
 * Where a graph parameter lives in the ONNX file: the initializer that holds it, and whether that initializer is the
 * parameter's transpose ({@code MatMul} and {@code Gemm transB=0} store a linear weight {@code [out, in]} as
 * {@code [in, out]}). Writers that put predicted parameters back into the file transpose those.
 *
 * @param param the parameter's name in the graph (its {@code state_dict} name when exported from PyTorch)
 * @param initializer the ONNX initializer's name (equal to {@code param})
 * @param transposed whether the initializer holds the 2-D parameter transposed
 */
public record ParamBinding(String param, String initializer, boolean transposed) {}
