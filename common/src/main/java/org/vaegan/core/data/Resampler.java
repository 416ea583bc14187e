package org.vaegan.core.data;

import org.vaegan.core.config.PreprocessConfig;

/**
 * Separable resize of float planes. AREA weights every source pixel by how much of it an output
 * pixel covers (the right filter for shrinking: no aliasing); BICUBIC is Keys' cubic convolution
 * (a = -0.5), widened by the scale when shrinking so it also averages instead of skipping pixels.
 */
final class Resampler {
    private final Taps rows;
    private final Taps cols;
    private final int srcHeight;
    private final int srcWidth;
    private final int dstHeight;
    private final int dstWidth;

    Resampler(int srcHeight, int srcWidth, int dstHeight, int dstWidth, PreprocessConfig.Resize filter) {
        this.srcHeight = srcHeight;
        this.srcWidth = srcWidth;
        this.dstHeight = dstHeight;
        this.dstWidth = dstWidth;
        this.rows = Taps.of(srcHeight, dstHeight, filter);
        this.cols = Taps.of(srcWidth, dstWidth, filter);
    }

    /** Resizes one plane ({@code srcHeight x srcWidth}, row-major) into {@code out}. */
    void resize(float[] src, float[] out) {
        float[] tmp = new float[srcHeight * dstWidth];
        for (int y = 0; y < srcHeight; y++) {
            int rowStart = y * srcWidth;
            for (int x = 0; x < dstWidth; x++) {
                tmp[y * dstWidth + x] = cols.apply(src, rowStart, 1, x);
            }
        }
        for (int x = 0; x < dstWidth; x++) {
            for (int y = 0; y < dstHeight; y++) {
                out[y * dstWidth + x] = rows.apply(tmp, x, dstWidth, y);
            }
        }
    }

    /** For every output index: the first source index and the weights (summing to 1). */
    private record Taps(int[] first, float[][] weights) {
        static Taps of(int src, int dst, PreprocessConfig.Resize filter) {
            PreprocessConfig.Resize f = filter;
            if (f == PreprocessConfig.Resize.AUTO) {
                f = dst < src ? PreprocessConfig.Resize.AREA : PreprocessConfig.Resize.BICUBIC;
            }
            return f == PreprocessConfig.Resize.AREA ? area(src, dst) : bicubic(src, dst);
        }

        float apply(float[] data, int start, int stride, int o) {
            float[] w = weights[o];
            int i = first[o];
            float sum = 0;
            for (int k = 0; k < w.length; k++) {
                sum += w[k] * data[start + (i + k) * stride];
            }
            return sum;
        }

        static Taps area(int src, int dst) {
            double scale = (double) src / dst;
            int[] first = new int[dst];
            float[][] weights = new float[dst][];
            for (int o = 0; o < dst; o++) {
                double lo = o * scale;
                double hi = Math.min(src, (o + 1) * scale);
                int a = (int) Math.floor(lo);
                int b = Math.min(src - 1, (int) Math.ceil(hi) - 1);
                float[] w = new float[b - a + 1];
                double total = 0;
                for (int i = a; i <= b; i++) {
                    double cover = Math.min(hi, i + 1) - Math.max(lo, i);
                    w[i - a] = (float) Math.max(0, cover);
                    total += w[i - a];
                }
                for (int k = 0; k < w.length; k++) {
                    w[k] /= (float) total;
                }
                first[o] = a;
                weights[o] = w;
            }
            return new Taps(first, weights);
        }

        static Taps bicubic(int src, int dst) {
            double scale = (double) src / dst;
            double support = 2 * Math.max(1, scale);
            double stretch = Math.max(1, scale);
            int[] first = new int[dst];
            float[][] weights = new float[dst][];
            for (int o = 0; o < dst; o++) {
                double centre = (o + 0.5) * scale - 0.5;
                int a = (int) Math.floor(centre - support) + 1;
                int b = (int) Math.floor(centre + support);
                // Clamp to the picture by folding the weights of outside pixels onto the edge.
                int lo = Math.max(0, a);
                int hi = Math.min(src - 1, b);
                float[] w = new float[hi - lo + 1];
                double total = 0;
                for (int i = a; i <= b; i++) {
                    double k = keys((i - centre) / stretch);
                    int at = Math.min(hi, Math.max(lo, i));
                    w[at - lo] += (float) k;
                    total += k;
                }
                for (int k = 0; k < w.length; k++) {
                    w[k] /= (float) total;
                }
                first[o] = lo;
                weights[o] = w;
            }
            return new Taps(first, weights);
        }

        private static double keys(double x) {
            double a = -0.5;
            double t = Math.abs(x);
            if (t <= 1) {
                return ((a + 2) * t - (a + 3)) * t * t + 1;
            }
            if (t < 2) {
                return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
            }
            return 0;
        }
    }
}
