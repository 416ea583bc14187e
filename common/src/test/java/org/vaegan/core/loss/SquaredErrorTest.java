package org.vaegan.core.loss;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SquaredErrorTest {
    @Test
    void valueIsHalfTheSummedSquaredDifference() {
        INDArray recon = Nd4j.createFromArray(new double[][] {{1.0, 2.0}, {0.0, -1.0}});
        INDArray real = Nd4j.createFromArray(new double[][] {{0.0, 2.0}, {3.0, -1.0}});
        // 1/2 * (1^2 + 0 + 3^2 + 0) = 5
        assertEquals(5.0, SquaredError.value(recon, real), 1e-12);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        INDArray recon = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 2, 3, 2, 2);
        INDArray real = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 2, 3, 2, 2);
        FiniteDifferences.assertGradient(r -> SquaredError.value(r, real), recon, SquaredError.grad(recon, real));
    }
}
