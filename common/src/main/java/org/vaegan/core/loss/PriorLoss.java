package org.vaegan.core.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * L_prior = KL(q(z|x) || N(0, I)) = -1/2 * sum(1 + logvar - mu^2 - exp(logvar)), summed over the
 * latent dimensions and the images of the batch.
 */
public final class PriorLoss {
    private PriorLoss() {
    }

    public static double value(INDArray mu, INDArray logvar) {
        INDArray terms = logvar.add(1.0).subi(mu.mul(mu)).subi(Transforms.exp(logvar, true));
        return -0.5 * terms.sumNumber().doubleValue();
    }

    /** dL_prior/dmu = mu. */
    public static INDArray gradMu(INDArray mu) {
        return mu.dup();
    }

    /** dL_prior/dlogvar = (exp(logvar) - 1) / 2. */
    public static INDArray gradLogvar(INDArray logvar) {
        return Transforms.exp(logvar, true).subi(1.0).muli(0.5);
    }
}
