package org.vaegan.core.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.vaegan.core.config.OptimizerConfig;
import org.vaegan.core.model.ParameterRanges;

/**
 * RMSProp on one flat parameter vector, with the authors' L2 weight decay on weights:
 * g' = g + wd * w; s = rho * s + (1 - rho) * g'^2; p -= lr * g' / (sqrt(s) + eps). Entries flagged
 * as batch-norm running statistics take their "gradient" (DL4J's running-average step) as is.
 *
 * <p>Works in place in the gradient, chunk by chunk of the vector, with one scratch chunk kept
 * from step to step: on the 64x64 model a parameter group is up to 134 MB, and the six fresh
 * arrays per group and step of an out-of-place update were freshly mapped and zeroed by the
 * kernel every time; a scratch vector as long as the largest group then kept 134 MB resident for
 * what a 16 MB one does. Weights and statistics are ranges of the vector, not masks as long as it.
 */
public final class RmsProp {
    /** Entries per chunk (4 Mi floats, 16 MiB of scratch). */
    static final long CHUNK = 1L << 22;
    private final OptimizerConfig config;
    private final long chunk;
    private INDArray scratch;

    public RmsProp(OptimizerConfig config) {
        this(config, CHUNK);
    }

    RmsProp(OptimizerConfig config, long chunk) {
        this.config = config;
        this.chunk = chunk;
    }

    /**
     * One update of {@code params} and {@code meanSquare}; {@code gradient} is used up (overwritten).
     */
    public void step(INDArray params, INDArray gradient, INDArray meanSquare, ParameterLayout layout, double learningRate) {
        long n = params.length();
        for (long from = 0; from < n; from += chunk) {
            long to = Math.min(n, from + chunk);
            step(slice(params, from, to), slice(gradient, from, to), slice(meanSquare, from, to), layout, from, to, learningRate);
        }
    }

    /** The update of entries [from, to), given as views of that length. */
    private void step(INDArray params, INDArray g, INDArray meanSquare, ParameterLayout layout, long from, long to, double learningRate) {
        INDArray work = scratch(params);
        if (config.weightDecay() > 0) {
            work.assign(params).muli(config.weightDecay());
            layout.decayed().forEachWithin(from, to, g, work, INDArray::addi);
        }
        meanSquare.muli(config.rho()).addi(work.assign(g).muli(g).muli(1.0 - config.rho()));
        INDArray update = Transforms.sqrt(work.assign(meanSquare), false).addi(config.epsilon()).rdivi(g).muli(learningRate);
        // Running statistics (never decayed, so g is still DL4J's running-average step there) take it as is.
        layout.runningStatistics().forEachWithin(from, to, update, g, INDArray::assign);
        params.subi(update);
    }

    private static INDArray slice(INDArray flat, long from, long to) {
        return from == 0 && to == flat.length() ? flat : flat.reshape(flat.length()).get(NDArrayIndex.interval(from, to));
    }

    /** A scratch vector as long as {@code params}: a view of one buffer sized for the largest chunk seen. */
    private INDArray scratch(INDArray params) {
        long n = params.length();
        if (scratch == null || scratch.length() < n || scratch.dataType() != params.dataType()) {
            scratch = Nd4j.createUninitialized(params.dataType(), n);
        }
        return scratch.length() == n ? scratch : scratch.get(NDArrayIndex.interval(0, n));
    }

    /** Which entries of a flat parameter vector are weights (decayed) and batch-norm running statistics. */
    public record ParameterLayout(ParameterRanges decayed, ParameterRanges runningStatistics) {
    }
}
