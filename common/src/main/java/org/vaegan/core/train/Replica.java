package org.vaegan.core.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vaegan.core.config.LossConfig.Decision;
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
    /** The phase of a step after the router's: the encoder's gradient and the update. */
    public static final String LAST_PHASE = "encoder backward+update";
    private final VaeganConfig config;
    private final StepPhases observer;
    private final VaeGanNetworks nets;
    private final GradientRouter router;
    private final RmsProp rmsProp;
    private final Map<Part, INDArray> meanSquare = new EnumMap<>(Part.class);
    private final Map<Part, RmsProp.ParameterLayout> layouts = new EnumMap<>(Part.class);
    /** Moving average of the decoder's flat parameters, or null when off. */
    private final INDArray decoderEma;
    private long step;
    private long skippedSteps;
    private int consecutiveBadSteps;

    public Replica(VaeganConfig config) {
        this(config, StepPhases.NONE);
    }

    /**
     * @param observer told at the end of each phase of a step (the router's phases, then
     *                 {@link #LAST_PHASE}), before the phase's garbage is collected
     */
    public Replica(VaeganConfig config, StepPhases observer) {
        this.config = config;
        this.observer = observer;
        this.nets = new VaeGanModelFactory(config.model()).build(config.train().seed());
        this.router = new GradientRouter(nets, config.loss(),
                observer.andThen(phase -> MemoryBound.withinStep(config.train())), config.train().recomputeForward());
        this.rmsProp = new RmsProp(config.optimizer());
        for (Part p : Part.values()) {
            meanSquare.put(p, Nd4j.zeros(DataType.FLOAT, nets.numParams(p)));
            layouts.put(p, new RmsProp.ParameterLayout(nets.weightRanges(p), nets.runningStatisticsRanges(p)));
        }
        this.decoderEma = config.model().decoderEma() ? nets.params(Part.DECODER).dup() : null;
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

    /** Steps skipped because a loss or a gradient was not finite, over this replica's life. */
    public long skippedSteps() {
        return skippedSteps;
    }

    /**
     * One step of Algorithm 1 with this replica's own equilibrium-gate decision. A step with a
     * non-finite loss or gradient changes nothing and is counted; after
     * {@code vaegan.train.max-bad-steps} of them in a row, throws {@link NonFiniteTrainingException}.
     */
    public StepLosses step(INDArray x, INDArray noise, INDArray prior) {
        return step(x, noise, prior, null);
    }

    /**
     * One step with the equilibrium-gate decision given from outside ({@code null}: this
     * replica's own): the distributed engine passes one decision to every replica so that all
     * take the same one. Non-finite steps are skipped, counted and bounded as in {@link #step}.
     */
    public StepLosses step(INDArray x, INDArray noise, INDArray prior, Decision decision) {
        RoutedGradients routed = gradients(x, noise, prior);
        String bad = routed.firstNonFinite();
        StepLosses losses;
        if (bad != null) {
            skippedSteps++;
            consecutiveBadSteps++;
            if (consecutiveBadSteps >= config.train().maxBadSteps()) {
                throw new NonFiniteTrainingException(bad, consecutiveBadSteps, step);
            }
            losses = routed.losses();
        } else {
            consecutiveBadSteps = 0;
            losses = apply(routed, decision != null ? decision : gateDecision(routed.losses()));
        }
        observer.ended(LAST_PHASE);
        return losses;
    }

    /** The routed gradients of one step, from the current parameters; changes nothing. */
    public RoutedGradients gradients(INDArray x, INDArray noise, INDArray prior) {
        return router.route(x, noise, prior);
    }

    /**
     * The equilibrium gate's decision from this step's own scores. Only variants whose decoder
     * gets L_GAN are gated; a distributed engine may decide from pooled scores instead.
     */
    public Decision gateDecision(StepLosses losses) {
        if (!config.model().variant().adversarialDecoder()) {
            return Decision.BOTH;
        }
        return config.loss().gate().decide(losses.realScore(), losses.fakeScore());
    }

    /** Applies RMSProp with routed gradients: the encoder always, the other groups as decided. */
    public StepLosses apply(RoutedGradients routed, Decision decision) {
        double lr = config.optimizer().learningRate(step / config.spark().averagingSteps(), config.train().rounds());
        for (Part p : Part.values()) {
            INDArray gradient = routed.gradient(p);
            boolean update = gradient != null && switch (p) {
                case ENCODER -> true;
                case DECODER -> decision.updateDecoder();
                case DIS_FEATURES, DIS_HEAD -> decision.updateDiscriminator();
            };
            if (update) {
                rmsProp.step(nets.params(p), gradient, meanSquare.get(p), layouts.get(p), lr);
            }
        }
        if (decoderEma != null) {
            double decay = config.model().decoderEmaDecay();
            decoderEma.muli(decay).addi(nets.params(Part.DECODER).mul(1.0 - decay));
        }
        step++;
        return routed.losses().withDecision(decision);
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
        if (decoderEma != null) {
            // A state saved without a moving average starts one from the current decoder.
            decoderEma.assign(state.decoderEma() != null ? Nd4j.createFromArray(state.decoderEma()) : nets.params(Part.DECODER));
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
        return new ModelState(params, optimizer, step, decoderEma == null ? null : decoderEma.toFloatVector());
    }

    /** Decodes latent codes in inference mode, with the decoder's moving average when one is kept. */
    public INDArray decode(INDArray z) {
        if (decoderEma == null) {
            return nets.infer(Part.DECODER, z);
        }
        INDArray live = nets.params(Part.DECODER).dup();
        try {
            nets.params(Part.DECODER).assign(decoderEma);
            return nets.infer(Part.DECODER, z);
        } finally {
            nets.params(Part.DECODER).assign(live);
        }
    }

    /** The posterior means of images (their latent codes), in inference mode. */
    public INDArray encodeMean(INDArray x) {
        INDArray encoded = nets.infer(Part.ENCODER, x);
        return encoded.get(NDArrayIndex.all(), NDArrayIndex.interval(0, config.model().latent())).dup();
    }

    /** Reconstructs images through the posterior mean, in inference mode. */
    public INDArray reconstruct(INDArray x) {
        return decode(encodeMean(x));
    }
}
