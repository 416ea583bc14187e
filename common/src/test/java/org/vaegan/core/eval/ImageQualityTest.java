package org.vaegan.core.eval;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaegan.core.data.Shard;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SSIM, Laplacian variance and the classifier's input mapping on small synthetic images. */
class ImageQualityTest {
    /** Synthetic shapes, 4 RGB images of 24x24 in [-1, 1]. */
    private static INDArray shapes() {
        return Shard.synthetic(0, 4, 3, 24, 11).batch(new int[] {0, 1, 2, 3});
    }

    /** A 3x3 box blur of every plane (edges clamped). */
    private static INDArray blurred(INDArray x) {
        Images images = Images.of(x);
        int s = images.side();
        float[] out = new float[images.pixels().length];
        for (int i = 0; i < images.count(); i++) {
            for (int c = 0; c < images.channels(); c++) {
                float[] p = images.plane(i, c);
                int base = (i * images.channels() + c) * s * s;
                for (int y = 0; y < s; y++) {
                    for (int xx = 0; xx < s; xx++) {
                        float sum = 0;
                        for (int dy = -1; dy <= 1; dy++) {
                            for (int dx = -1; dx <= 1; dx++) {
                                int yy = Math.max(0, Math.min(s - 1, y + dy));
                                int xq = Math.max(0, Math.min(s - 1, xx + dx));
                                sum += p[yy * s + xq];
                            }
                        }
                        out[base + y * s + xx] = sum / 9;
                    }
                }
            }
        }
        return Nd4j.create(out, x.shape(), 'c');
    }

    private static INDArray noisy(INDArray x, double sigma, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] p = x.dup('c').data().asFloat();
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) Math.max(-1, Math.min(1, p[i] + sigma * rnd.nextGaussian()));
        }
        return Nd4j.create(p, x.shape(), 'c');
    }

    @Test
    void ssimOfAnImageWithItselfIsOne() {
        INDArray x = shapes();
        assertEquals(1.0, Ssim.mean(x, x), 1e-9);
    }

    @Test
    void ssimFallsWithNoiseAndIsSymmetric() {
        INDArray x = shapes();
        double light = Ssim.mean(x, noisy(x, 0.05, 1));
        double heavy = Ssim.mean(x, noisy(x, 0.5, 1));
        assertTrue(light < 1 && heavy < light, "SSIM " + light + " (sigma 0.05) > " + heavy + " (sigma 0.5)");
        INDArray y = noisy(x, 0.2, 2);
        assertEquals(Ssim.mean(x, y), Ssim.mean(y, x), 1e-12);
    }

    @Test
    void ssimWorksOnImagesSmallerThanItsWindow() {
        INDArray x = Shard.synthetic(0, 2, 1, 8, 3).batch(new int[] {0, 1});
        assertEquals(1.0, Ssim.mean(x, x), 1e-9);
        assertTrue(Ssim.mean(x, noisy(x, 0.3, 4)) < 0.99);
    }

    @Test
    void laplacianVarianceOfABlurredImageIsLowerThanTheOriginals() {
        INDArray x = shapes();
        double sharp = LaplacianVariance.mean(x);
        double blur = LaplacianVariance.mean(blurred(x));
        assertTrue(sharp > 0, "shapes have edges: " + sharp);
        assertTrue(blur < 0.5 * sharp, "blurred " + blur + " against original " + sharp);
        assertTrue(LaplacianVariance.mean(blurred(blurred(x))) < blur, "blurring twice is smoother still");
    }

    @Test
    void laplacianVarianceOfAFlatImageIsZero() {
        assertEquals(0, LaplacianVariance.mean(Nd4j.zeros(2, 3, 10, 10).addi(0.3)), 1e-12);
    }

    @Test
    void classifierInputIsGreyAt28AndKeepsFlatValues() {
        INDArray flat = Nd4j.zeros(2, 3, 32, 32).addi(0.25);
        INDArray mapped = ClassifierInput.of(flat);
        assertEquals(4, mapped.rank());
        assertEquals(28, mapped.size(2));
        assertEquals(1, mapped.size(1));
        assertEquals(0.25, mapped.minNumber().doubleValue(), 1e-6);
        assertEquals(0.25, mapped.maxNumber().doubleValue(), 1e-6);
        INDArray grey = Shard.synthetic(0, 2, 1, 28, 5).batch(new int[] {0, 1});
        assertEquals(grey, ClassifierInput.of(grey));
    }
}
