package org.vaegan.core.model;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Weight initialisation of the authors' code (deeppy's AutoFiller, gain 1):
 * uniform in +-(1 / sqrt(fan_in)) / sqrt(3). Biases start at 0 (DL4J's default).
 */
public final class AuthorsUniformInit implements IWeightInit {
    private static final long serialVersionUID = 1L;

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        double bound = 1.0 / Math.sqrt(fanIn) / Math.sqrt(3.0);
        Nd4j.rand(paramView, Nd4j.getDistributions().createUniform(-bound, bound));
        return paramView.reshape(order, shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthorsUniformInit;
    }

    @Override
    public int hashCode() {
        return AuthorsUniformInit.class.hashCode();
    }
}
