package org.vaegan.core.eval;

/**
 * The Frechet distance between Gaussians fitted to two sets of feature vectors (the FID of Heusel
 * et al. 2017 when the features are Inception's): |mu1 - mu2|^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2)).
 * The trace of (S1 S2)^(1/2) is computed as that of (S1^(1/2) S2 S1^(1/2))^(1/2), a symmetric
 * positive semi-definite matrix with the same eigenvalues, so both square roots come from
 * symmetric eigendecompositions; eigenvalues below 0 (rounding) count as 0.
 */
public final class FrechetDistance {
    private FrechetDistance() {
    }

    /** The distance between the feature sets {@code a} and {@code b} (rows: samples; each set needs 2 rows or more). */
    public static double between(double[][] a, double[][] b) {
        if (a.length < 2 || b.length < 2) {
            throw new IllegalArgumentException("each set needs at least 2 feature vectors, got " + a.length + " and " + b.length);
        }
        if (a[0].length != b[0].length) {
            throw new IllegalArgumentException("feature sizes differ: " + a[0].length + " and " + b[0].length);
        }
        double[] muA = mean(a);
        double[] muB = mean(b);
        double[][] covA = covariance(a, muA);
        double[][] covB = covariance(b, muB);
        double meanTerm = 0;
        for (int i = 0; i < muA.length; i++) {
            meanTerm += (muA[i] - muB[i]) * (muA[i] - muB[i]);
        }
        double[][] rootA = sqrtPsd(covA);
        double[][] middle = multiply(multiply(rootA, covB), rootA);
        symmetrise(middle);
        double traceRoot = 0;
        for (double lambda : SymmetricEigen.of(middle).values()) {
            traceRoot += Math.sqrt(Math.max(lambda, 0));
        }
        double d = meanTerm + trace(covA) + trace(covB) - 2 * traceRoot;
        return Math.max(d, 0);
    }

    static double[] mean(double[][] x) {
        double[] mu = new double[x[0].length];
        for (double[] row : x) {
            for (int j = 0; j < mu.length; j++) {
                mu[j] += row[j];
            }
        }
        for (int j = 0; j < mu.length; j++) {
            mu[j] /= x.length;
        }
        return mu;
    }

    /** The unbiased sample covariance (divided by n - 1). */
    static double[][] covariance(double[][] x, double[] mu) {
        int d = mu.length;
        double[][] c = new double[d][d];
        for (double[] row : x) {
            for (int i = 0; i < d; i++) {
                double di = row[i] - mu[i];
                for (int j = i; j < d; j++) {
                    c[i][j] += di * (row[j] - mu[j]);
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                c[i][j] /= x.length - 1;
                c[j][i] = c[i][j];
            }
        }
        return c;
    }

    /** V diag(sqrt(max(lambda, 0))) V^T of a symmetric positive semi-definite matrix. */
    static double[][] sqrtPsd(double[][] m) {
        SymmetricEigen.Result e = SymmetricEigen.of(m);
        int n = m.length;
        double[][] r = new double[n][n];
        for (int k = 0; k < n; k++) {
            double s = Math.sqrt(Math.max(e.values()[k], 0));
            if (s == 0) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                double vik = e.vectors()[i][k] * s;
                for (int j = 0; j < n; j++) {
                    r[i][j] += vik * e.vectors()[j][k];
                }
            }
        }
        return r;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < b.length; k++) {
                double aik = a[i][k];
                for (int j = 0; j < m; j++) {
                    c[i][j] += aik * b[k][j];
                }
            }
        }
        return c;
    }

    private static void symmetrise(double[][] m) {
        for (int i = 0; i < m.length; i++) {
            for (int j = i + 1; j < m.length; j++) {
                double avg = (m[i][j] + m[j][i]) / 2;
                m[i][j] = avg;
                m[j][i] = avg;
            }
        }
    }

    private static double trace(double[][] m) {
        double t = 0;
        for (int i = 0; i < m.length; i++) {
            t += m[i][i];
        }
        return t;
    }
}
