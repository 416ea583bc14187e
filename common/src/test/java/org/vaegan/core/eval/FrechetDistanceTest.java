package org.vaegan.core.eval;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrechetDistanceTest {
    /** 400 correlated 12-dimensional feature vectors (a random linear map of Gaussian noise, plus an offset). */
    private static double[][] features(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 400;
        int d = 12;
        double[][] mix = new double[d][d];
        for (double[] row : mix) {
            for (int j = 0; j < d; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        double[][] x = new double[n][d];
        for (double[] row : x) {
            double[] z = new double[d];
            for (int j = 0; j < d; j++) {
                z[j] = rnd.nextGaussian();
            }
            for (int i = 0; i < d; i++) {
                row[i] = 3 + i;
                for (int j = 0; j < d; j++) {
                    row[i] += mix[i][j] * z[j];
                }
            }
        }
        return x;
    }

    private static double trace(double[][] m) {
        double t = 0;
        for (int i = 0; i < m.length; i++) {
            t += m[i][i];
        }
        return t;
    }

    @Test
    void distanceOfASetToItselfIsZero() {
        double[][] a = features(1);
        double scale = trace(FrechetDistance.covariance(a, FrechetDistance.mean(a)));
        assertEquals(0, FrechetDistance.between(a, a), 1e-9 * scale);
    }

    @Test
    void distanceGrowsWithAddedNoise() {
        double[][] a = features(2);
        SplittableRandom rnd = new SplittableRandom(3);
        double previous = 0;
        for (double sigma : new double[] {0.1, 0.5, 1.0, 2.0}) {
            double[][] noisy = new double[a.length][];
            for (int i = 0; i < a.length; i++) {
                noisy[i] = a[i].clone();
                for (int j = 0; j < noisy[i].length; j++) {
                    noisy[i][j] += sigma * rnd.nextGaussian();
                }
            }
            double d = FrechetDistance.between(a, noisy);
            assertTrue(d > previous, "noise " + sigma + ": distance " + d + " should exceed " + previous);
            previous = d;
        }
    }

    @Test
    void aShiftedSetIsAtTheSquaredShift() {
        // Equal covariances cancel: the distance is exactly |shift|^2.
        double[][] a = features(4);
        double[][] b = new double[a.length][];
        double shiftSquared = 0;
        for (int j = 0; j < a[0].length; j++) {
            shiftSquared += (0.5 * j) * (0.5 * j);
        }
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i].clone();
            for (int j = 0; j < b[i].length; j++) {
                b[i][j] += 0.5 * j;
            }
        }
        assertEquals(shiftSquared, FrechetDistance.between(a, b), 1e-6 * shiftSquared);
    }

    @Test
    void aScaledSetMatchesTheClosedForm() {
        // b = 2a: |mu - 2 mu|^2 + Tr(S + 4S - 2 (4 S^2)^(1/2)) = |mu|^2 + Tr(S).
        double[][] a = features(5);
        double[][] b = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i].clone();
            for (int j = 0; j < b[i].length; j++) {
                b[i][j] *= 2;
            }
        }
        double[] mu = FrechetDistance.mean(a);
        double expected = trace(FrechetDistance.covariance(a, mu));
        for (double m : mu) {
            expected += m * m;
        }
        assertEquals(expected, FrechetDistance.between(a, b), 1e-6 * expected);
    }

    @Test
    void squareRootSquaresBackToTheMatrix() {
        double[][] a = features(6);
        double[][] cov = FrechetDistance.covariance(a, FrechetDistance.mean(a));
        double[][] root = FrechetDistance.sqrtPsd(cov);
        for (int i = 0; i < cov.length; i++) {
            for (int j = 0; j < cov.length; j++) {
                double sq = 0;
                for (int k = 0; k < cov.length; k++) {
                    sq += root[i][k] * root[k][j];
                }
                assertEquals(cov[i][j], sq, 1e-9 * trace(cov));
            }
        }
    }

    @Test
    void setsOfOneVectorOrOfDifferentSizesAreRefused() {
        double[][] a = features(7);
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(new double[][] {a[0]}, a));
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(a, new double[][] {{1, 2}, {3, 4}}));
    }
}
