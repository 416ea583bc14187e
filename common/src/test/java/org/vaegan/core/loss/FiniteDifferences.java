package org.vaegan.core.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Central-difference check of an analytic gradient, element by element, in double precision. */
final class FiniteDifferences {
    private static final double H = 1e-6;

    private FiniteDifferences() {
    }

    static void assertGradient(Function<INDArray, Double> f, INDArray at, INDArray analytic) {
        INDArray x = at.dup();
        for (long i = 0; i < x.length(); i++) {
            double orig = x.getDouble(i);
            x.putScalar(i, orig + H);
            double plus = f.apply(x);
            x.putScalar(i, orig - H);
            double minus = f.apply(x);
            x.putScalar(i, orig);
            double numeric = (plus - minus) / (2 * H);
            assertEquals(numeric, analytic.getDouble(i), 1e-6 * Math.max(1.0, Math.abs(numeric)),
                    "gradient entry " + i);
        }
    }
}
