package org.vaegan.core.loss;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PriorLossTest {
    @Test
    void valueMatchesHandComputedKl() {
        // KL = -1/2 * [(1 + 0 - 1 - 1) + (1 + ln2 - 0 - 2)] = 1 - ln(2)/2
        INDArray mu = Nd4j.createFromArray(new double[][] {{1.0, 0.0}});
        INDArray logvar = Nd4j.createFromArray(new double[][] {{0.0, Math.log(2.0)}});
        assertEquals(1.0 - Math.log(2.0) / 2, PriorLoss.value(mu, logvar), 1e-12);
    }

    @Test
    void zeroForTheStandardNormal() {
        assertEquals(0.0, PriorLoss.value(Nd4j.zeros(3, 5), Nd4j.zeros(3, 5)), 1e-12);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        INDArray mu = Nd4j.createFromArray(new double[][] {{0.3, -1.2}, {2.0, 0.1}});
        INDArray logvar = Nd4j.createFromArray(new double[][] {{-0.5, 0.7}, {1.5, -2.0}});
        FiniteDifferences.assertGradient(m -> PriorLoss.value(m, logvar), mu, PriorLoss.gradMu(mu));
        FiniteDifferences.assertGradient(l -> PriorLoss.value(mu, l), logvar, PriorLoss.gradLogvar(logvar));
    }
}
