package org.vaegan.core.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vaegan.core.config.LossConfig;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.model.Part;
import org.vaegan.core.model.VaeGanModelFactory;
import org.vaegan.core.model.VaeGanNetworks;
import org.vaegan.core.state.ModelState;

import java.util.EnumMap;
import java.util.Map;

/**
 * One copy of the model with its optimizer state: takes training steps, and loads or snapshots
 * its whole state so that replicas on different machines can be averaged.
 */
public final class Replica {
    private final VaeganConfig config;
    private final VaeGanNetworks nets;
    private final GradientRouter router;
    private final RmsProp rmsProp;
    private final Map<Part, INDArray> meanSquare = new EnumMap<>(Part.class);
    private long step;
    private long skippedSteps;

    public Replica(VaeganConfig config) {
        this.config = config;
        this.nets = new VaeGanModelFactory(config.model()).build(config.train().seed());
        this.router = new GradientRouter(nets, config.loss(), () -> MemoryBound.withinStep(config.train()));
        this.rmsProp = new RmsProp(config.optimizer());
        for (Part p : Part.values()) {
            meanSquare.put(p, Nd4j.zeros(DataType.FLOAT, nets.numParams(p)));
        }
    }

    public VaeganConfig config() {
        return config;
    }

    public VaeGanNetworks networks() {
        return nets;
    }

    public long step() {
        return step;
    }

    public long skippedSteps() {
        return skippedSteps;
    }

    /**
     * One step of Algorithm 1: routed gradients, then an RMSProp update of every group. A step
     * whose losses are not finite changes nothing and is counted.
     */
    public StepLosses step(INDArray x, INDArray noise, INDArray prior) {
        RoutedGradients routed = router.route(x, noise, prior);
        if (!routed.losses().allFinite()) {
            skippedSteps++;
            return routed.losses();
        }
        StepLosses losses = routed.losses();
        LossConfig.Decision decision = config.loss().gate().decide(losses.realScore(), losses.fakeScore());
        for (Part p : Part.values()) {
            boolean update = switch (p) {
                case ENCODER -> true;
                case DECODER -> decision.updateDecoder();
                case DIS_FEATURES, DIS_HEAD -> decision.updateDiscriminator();
            };
            if (update) {
                rmsProp.step(nets.params(p), routed.gradient(p), meanSquare.get(p), nets.runningStatisticsMask(p));
            }
        }
        step++;
        return losses.withDecision(decision);
    }

    public void load(ModelState state) {
        for (Part p : Part.values()) {
            float[] params = state.params(p);
            if (params.length != nets.numParams(p)) {
                throw new IllegalArgumentException("state for " + p.fileName() + " has " + params.length
                        + " parameters, the configured model has " + nets.numParams(p));
            }
            nets.params(p).assign(Nd4j.createFromArray(params));
            meanSquare.get(p).assign(Nd4j.createFromArray(state.optimizer(p)));
        }
        step = state.step();
    }

    public ModelState snapshot() {
        float[][] params = new float[Part.values().length][];
        float[][] optimizer = new float[Part.values().length][];
        for (Part p : Part.values()) {
            params[p.ordinal()] = nets.params(p).toFloatVector();
            optimizer[p.ordinal()] = meanSquare.get(p).toFloatVector();
        }
        return new ModelState(params, optimizer, step);
    }

    /** Decodes latent codes in inference mode. */
    public INDArray decode(INDArray z) {
        return nets.infer(Part.DECODER, z);
    }

    /** Reconstructs images through the posterior mean, in inference mode. */
    public INDArray reconstruct(INDArray x) {
        INDArray encoded = nets.infer(Part.ENCODER, x);
        INDArray mu = encoded.get(NDArrayIndex.all(), NDArrayIndex.interval(0, config.model().latent()));
        return decode(mu.dup());
    }
}
