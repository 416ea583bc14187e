package org.vaegan.core.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.vaegan.core.config.OptimizerConfig;

/**
 * RMSProp on one flat parameter vector, with the authors' L2 weight decay on weights:
 * g' = g + wd * w; s = rho * s + (1 - rho) * g'^2; p -= lr * g' / (sqrt(s) + eps). Entries flagged
 * as batch-norm running statistics take their "gradient" (DL4J's running-average step) as is.
 */
public final class RmsProp {
    private final OptimizerConfig config;

    public RmsProp(OptimizerConfig config) {
        this.config = config;
    }

    public void step(INDArray params, INDArray gradient, INDArray meanSquare, ParameterMasks masks, double learningRate) {
        INDArray g = config.weightDecay() > 0
                ? gradient.add(params.mul(masks.decay()).muli(config.weightDecay()))
                : gradient;
        meanSquare.muli(config.rho()).addi(g.mul(g).muli(1.0 - config.rho()));
        INDArray update = g.div(Transforms.sqrt(meanSquare, true).addi(config.epsilon())).muli(learningRate);
        // update = (1 - mask) * rmsprop + mask * gradient
        update.addi(gradient.sub(update).muli(masks.runningStatistics()));
        params.subi(update);
    }

    /** Which entries of a flat parameter vector are weights (decayed) and batch-norm running statistics. */
    public record ParameterMasks(INDArray decay, INDArray runningStatistics) {
    }
}
