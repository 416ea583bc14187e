package org.vaegan.core.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.vaegan.core.config.OptimizerConfig;

/**
 * RMSProp on one flat parameter vector: s = rho * s + (1 - rho) * g^2;
 * p -= lr * g / (sqrt(s) + eps). Entries flagged as batch-norm running statistics take their
 * "gradient" (DL4J's running-average step) as is.
 */
public final class RmsProp {
    private final OptimizerConfig config;

    public RmsProp(OptimizerConfig config) {
        this.config = config;
    }

    public void step(INDArray params, INDArray gradient, INDArray meanSquare, INDArray runningStatisticsMask) {
        meanSquare.muli(config.rho()).addi(gradient.mul(gradient).muli(1.0 - config.rho()));
        INDArray update = gradient.div(Transforms.sqrt(meanSquare, true).addi(config.epsilon())).muli(config.learningRate());
        // update = (1 - mask) * rmsprop + mask * gradient
        update.addi(gradient.sub(update).muli(runningStatisticsMask));
        params.subi(update);
    }
}
