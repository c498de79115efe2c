package ghn4j.onnx;

/**
 * The image size an exported model takes ({@code [batch, channels, height, width]}; the batch axis
 * stays dynamic). Fixed because ViT-style nets and flatten heads only run at the size they were
 * built for.
 */
public record InputShape(int channels, int height, int width) {

  public InputShape {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "input shape must be positive: " + channels + "x" + height + "x" + width);
    }
  }

  /** CIFAR-10's 3×32×32. */
  public static InputShape cifar10() {
    return new InputShape(3, 32, 32);
  }

  /** A square RGB image of side {@code size}. */
  public static InputShape rgb(int size) {
    return new InputShape(3, size, size);
  }
}
