package ghn4j.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Turns an {@link ImageSet} into batches the way ppuda's {@code DataLoader} does (shuffled every
 * epoch for training, in order for testing; the last, smaller batch kept unless {@code dropLast}),
 * with the {@link Augmentation} applied in Java on the uint8 pixels.
 *
 * <p>Determinism: batch {@code (epoch, step)} is a pure function of {@code (seed, epoch, step)} —
 * the epoch's order comes from {@code (seed, epoch)}, each image's crop offsets and flip from
 * {@code (seed, epoch, step)} — so a resumed run sees exactly the batches an uninterrupted one
 * would, whatever thread made them. {@link #prefetch} computes the next batches on a background
 * thread into a bounded queue, so the engine's cores do not wait for images.
 */
public final class BatchLoader {

  private final ImageSet images;
  private final int batchSize;
  private final Augmentation augmentation;
  private final boolean shuffle;
  private final boolean dropLast;
  private final long seed;
  private final float[] lut;
  private int cachedEpoch = -1;
  private int[] cachedOrder;

  /**
   * @param images the images (any fixed size: CIFAR-10 or an {@link ImageFolder}); batches have
   *     this size, or the augmentation's random resized crop size
   * @param batchSize images per batch
   * @param augmentation crop/flip/normalisation
   * @param shuffle reshuffle every epoch (training) or keep the set's order (testing)
   * @param dropLast drop the last incomplete batch
   * @param seed the seed all randomness derives from
   */
  public BatchLoader(
      ImageSet images,
      int batchSize,
      Augmentation augmentation,
      boolean shuffle,
      boolean dropLast,
      long seed) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
    }
    if (images.size() == 0) {
      throw new IllegalArgumentException("cannot batch an empty image set");
    }
    if (dropLast && images.size() < batchSize) {
      throw new IllegalArgumentException(
          "dropLast with "
              + images.size()
              + " images and batch size "
              + batchSize
              + " leaves no batch");
    }
    this.images = images;
    this.batchSize = batchSize;
    this.augmentation = augmentation;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.seed = seed;
    this.lut = augmentation.normalization().lut(images.channels());
  }

  /** A test-time loader: in order, normalisation only, last batch kept. */
  public static BatchLoader forTesting(
      ImageSet images, int batchSize, Normalization normalization) {
    return new BatchLoader(
        images, batchSize, new Augmentation(0, false, normalization), false, false, 0);
  }

  public ImageSet images() {
    return images;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Batches per epoch ({@code ceil(n / batch)}, or {@code floor} with {@code dropLast}). */
  public int stepsPerEpoch() {
    int n = images.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /** Batch number {@code globalStep} counting across epochs. */
  public Batch batch(long globalStep) {
    int spe = stepsPerEpoch();
    return batch(Math.toIntExact(globalStep / spe), (int) (globalStep % spe));
  }

  /** Batch {@code step} of epoch {@code epoch}. */
  public Batch batch(int epoch, int step) {
    int spe = stepsPerEpoch();
    if (step < 0 || step >= spe) {
      throw new IllegalArgumentException("step " + step + " outside [0, " + spe + ")");
    }
    int[] order = order(epoch);
    int from = step * batchSize;
    int n = Math.min(batchSize, images.size() - from);
    int c = images.channels();
    int h = images.height();
    int w = images.width();
    RandomResizedCrop rrc = augmentation.resizedCrop();
    int oh = rrc == null ? h : rrc.size();
    int ow = rrc == null ? w : rrc.size();
    int per = c * oh * ow;
    float[] out = new float[Math.multiplyExact(n, per)];
    long[] labels = new long[n];
    byte[] px = new byte[images.imageBytes()];
    SplittableRandom rng = new SplittableRandom(mix(seed, epoch, step));
    int p = augmentation.padding();
    for (int k = 0; k < n; k++) {
      int i = order[from + k];
      images.copyPixels(i, px, 0);
      labels[k] = images.label(i);
      // torchvision order: the crop draws first (RandomCrop: top, left in [0, 2p];
      // RandomResizedCrop: its box), then
      // RandomHorizontalFlip draws p < 0.5
      byte[] src = rrc == null ? px : rrc.apply(px, c, h, w, rrc.draw(h, w, rng));
      int dy = p > 0 ? rng.nextInt(2 * p + 1) - p : 0;
      int dx = p > 0 ? rng.nextInt(2 * p + 1) - p : 0;
      boolean flip = augmentation.hflip() && rng.nextDouble() < 0.5;
      write(src, out, k * per, c, oh, ow, dy, dx, flip);
    }
    return new Batch(
        epoch, step, (long) epoch * spe + step, out, labels, new long[] {n, c, oh, ow});
  }

  private void write(
      byte[] px, float[] out, int dst, int c, int h, int w, int dy, int dx, boolean flip) {
    for (int ch = 0; ch < c; ch++) {
      int lo = ch * 256;
      float zero =
          lut[lo]; // a padded pixel is 0 before normalisation, as torchvision pads the PIL image
      int plane = ch * h * w;
      for (int y = 0; y < h; y++) {
        int sy = y + dy;
        int row = dst + plane + y * w;
        for (int x = 0; x < w; x++) {
          int sx = (flip ? w - 1 - x : x) + dx;
          out[row + x] =
              sy < 0 || sy >= h || sx < 0 || sx >= w
                  ? zero
                  : lut[lo + (px[plane + sy * w + sx] & 0xFF)];
        }
      }
    }
  }

  /**
   * The image order of {@code epoch}: a permutation from {@code (seed, epoch)} when shuffling, else
   * the identity.
   */
  private synchronized int[] order(int epoch) {
    if (epoch == cachedEpoch) {
      return cachedOrder;
    }
    int n = images.size();
    int[] o = new int[n];
    for (int i = 0; i < n; i++) {
      o[i] = i;
    }
    if (shuffle) {
      Random r = new Random(mix(seed, epoch, -1));
      for (int i = n - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = o[i];
        o[i] = o[j];
        o[j] = t;
      }
    }
    cachedEpoch = epoch;
    cachedOrder = o;
    return o;
  }

  /** SplitMix64-style mixing of a seed with two integers. */
  static long mix(long seed, long a, long b) {
    long z =
        seed * 0x9E3779B97F4A7C15L
            + a * 0xBF58476D1CE4E5B9L
            + b * 0x94D049BB133111EBL
            + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Batches {@code from, from+1, ...} (global steps, {@code to} exclusive; {@code Long.MAX_VALUE}
   * for endless) computed ahead on a daemon thread into a queue of {@code depth} batches. Close it
   * to stop the thread.
   */
  public Prefetch prefetch(long from, long to, int depth) {
    return new Prefetch(this, from, to, depth);
  }

  /** The batches of one epoch, prefetched. */
  public Prefetch epoch(int epoch, int depth) {
    long spe = stepsPerEpoch();
    return prefetch(epoch * spe, (epoch + 1) * spe, depth);
  }

  /**
   * An iterator over prefetched batches; a failure on the loader thread is rethrown by {@link
   * #next()}.
   */
  public static final class Prefetch implements Iterator<Batch>, AutoCloseable {
    private static final Object END = new Object();
    private final BlockingQueue<Object> queue;
    private final Thread worker;
    private Object head;

    private Prefetch(BatchLoader loader, long from, long to, int depth) {
      if (depth <= 0) {
        throw new IllegalArgumentException("prefetch depth must be > 0, got " + depth);
      }
      queue = new ArrayBlockingQueue<>(depth);
      worker =
          new Thread(
              () -> {
                try {
                  for (long s = from; s < to; s++) {
                    queue.put(loader.batch(s));
                  }
                  queue.put(END);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                  try {
                    queue.put(e);
                  } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                  }
                }
              },
              "ghn4j-batches");
      worker.setDaemon(true);
      worker.start();
    }

    @Override
    public boolean hasNext() {
      return peek() != END;
    }

    @Override
    public Batch next() {
      Object o = peek();
      if (o == END) {
        throw new NoSuchElementException();
      }
      head = null;
      return (Batch) o;
    }

    private Object peek() {
      if (head == null) {
        try {
          while ((head = queue.poll(100, TimeUnit.MILLISECONDS)) == null) {
            if (!worker.isAlive() && queue.isEmpty()) {
              throw new IllegalStateException("batch loader thread ended without a result");
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for a batch", e);
        }
      }
      if (head instanceof RuntimeException e) {
        throw new IllegalStateException("batch loader failed: " + e.getMessage(), e);
      }
      if (head instanceof Error e) {
        throw e;
      }
      return head;
    }

    @Override
    public void close() {
      worker.interrupt();
      queue.clear();
    }
  }
}
