package org.vaegan.core.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaegan.core.config.ModelConfig;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The four networks of one replica, driven with external error signals: a forward pass in
 * training mode, then {@link #backprop} with the gradient of whatever objective the caller routes
 * into that network. Each network's parameters are one flat vector.
 */
public final class VaeGanNetworks {
    private static final Set<String> RUNNING_STATISTICS = Set.of(
            BatchNormalizationParamInitializer.GLOBAL_MEAN,
            BatchNormalizationParamInitializer.GLOBAL_VAR,
            BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
    /** Convolution, transposed convolution and dense layers all call their weights "W". */
    private static final Set<String> WEIGHTS = Set.of(DefaultParamInitializer.WEIGHT_KEY);

    private final ModelConfig config;
    private final Map<Part, MultiLayerNetwork> nets;
    private final Map<Part, ParameterRanges> runningStatistics = new EnumMap<>(Part.class);
    private final Map<Part, ParameterRanges> weights = new EnumMap<>(Part.class);
    private final boolean backpropKeepsForwardState;
    /** Each network's output from its last training forward, for {@link BackwardPass}: until its activations are dropped. */
    private final Map<Part, INDArray> outputs = new EnumMap<>(Part.class);

    VaeGanNetworks(ModelConfig config, Map<Part, MultiLayerNetwork> nets, boolean backpropKeepsForwardState) {
        this.config = config;
        this.nets = new EnumMap<>(nets);
        this.backpropKeepsForwardState = backpropKeepsForwardState;
        for (Map.Entry<Part, MultiLayerNetwork> e : this.nets.entrySet()) {
            runningStatistics.put(e.getKey(), ranges(e.getValue(), RUNNING_STATISTICS));
            weights.put(e.getKey(), ranges(e.getValue(), WEIGHTS));
        }
    }

    public ModelConfig config() {
        return config;
    }

    /** The DL4J network of one part (for inspection; train through this class). */
    public MultiLayerNetwork network(Part part) {
        return nets.get(part);
    }

    /** Live flat view of a network's parameters: writing to it changes the network. */
    public INDArray params(Part part) {
        return nets.get(part).params();
    }

    public long numParams(Part part) {
        return nets.get(part).numParams();
    }

    /**
     * Where the flat parameter vector holds batch-norm running statistics. Those entries are not
     * trained: DL4J's backprop puts the running-average step into their gradient, which is applied
     * as is (param -= grad), never through RMSProp.
     */
    public ParameterRanges runningStatisticsRanges(Part part) {
        return runningStatistics.get(part);
    }

    /** Where the flat parameter vector holds weights of convolutions and dense layers (weight decay applies). */
    public ParameterRanges weightRanges(Part part) {
        return weights.get(part);
    }

    /** {@link #runningStatisticsRanges} as a 0/1 vector (built on each call). */
    public INDArray runningStatisticsMask(Part part) {
        return runningStatistics.get(part).mask(params(part).dataType());
    }

    /** {@link #weightRanges} as a 0/1 vector (built on each call). */
    public INDArray weightMask(Part part) {
        return weights.get(part).mask(params(part).dataType());
    }

    /**
     * Forward pass in training mode (batch statistics); keeps what {@link #backprop} needs,
     * including the returned output: change it only through a copy.
     */
    public INDArray forward(Part part, INDArray input) {
        MultiLayerNetwork net = nets.get(part);
        net.setInput(input);
        List<INDArray> activations = net.feedForward(true, false);
        INDArray output = activations.get(activations.size() - 1);
        outputs.put(part, output);
        return output;
    }

    /** Forward pass in inference mode (running statistics). */
    public INDArray infer(Part part, INDArray input) {
        return nets.get(part).output(input, false);
    }

    /**
     * Makes the last forward pass of {@code part} (on {@code input}) ready for another
     * {@link #backprop}. Float networks on oneDNN keep what backprop needs, so this does nothing
     * there (a second backprop equals one after a fresh forward, bit for bit); in double precision
     * M2.1's batch-norm layer loses its batch statistics in backprop, so the forward runs again.
     */
    public void prepareAnotherBackprop(Part part, INDArray input) {
        if (!backpropKeepsForwardState) {
            forward(part, input);
        }
    }

    /**
     * Backpropagates {@code outputGradient} (dObjective/dOutput) through the last forward pass of
     * {@code part}. Call {@link #prepareAnotherBackprop} before a further backprop of the same pass.
     *
     * @return a copy of the flat parameter gradient and the gradient with respect to the input
     */
    public Backprop backprop(Part part, INDArray outputGradient) {
        MultiLayerNetwork net = nets.get(part);
        INDArray inputGradient = BackwardPass.run(net, outputGradient, true, outputs.get(part));
        // The view is overwritten by the next backprop of this network: keep a copy.
        INDArray flat = net.getGradientsViewArray().dup().reshape(net.numParams());
        return new Backprop(flat, inputGradient);
    }

    /**
     * The gradient with respect to the input of the last forward pass of {@code part}, for the
     * error signal {@code outputGradient}, without computing parameter gradients (it overwrites
     * the network's gradient view: copy a {@link #backprop} result first, as that method does).
     * Call {@link #prepareAnotherBackprop} first when the pass has been backpropagated before.
     */
    public INDArray inputGradient(Part part, INDArray outputGradient) {
        return BackwardPass.run(nets.get(part), outputGradient, false, outputs.get(part));
    }

    /**
     * Drops the activations the layers of {@code part} keep from the last forward pass, once the
     * step has no further backprop of it: the next garbage collection frees them, instead of their
     * staying resident until the next step's forward replaces them (the 64x64 discriminator's are
     * about 0.4 GB at batch 192). That includes the arrays the layers' oneDNN helpers keep
     * referenced from their last op ({@link HelperContexts}).
     */
    public void releaseActivations(Part part) {
        MultiLayerNetwork net = nets.get(part);
        net.clearLayersStates();
        net.setInput(null);
        outputs.remove(part);
        HelperContexts.purge(net);
    }

    /** The parameter gradient (flat, same layout as {@link #params}) and the input gradient. */
    public record Backprop(INDArray paramGradient, INDArray inputGradient) {
    }

    private static ParameterRanges ranges(MultiLayerNetwork net, Set<String> keys) {
        ParameterRanges.Builder ranges = new ParameterRanges.Builder();
        long offset = 0;
        for (Layer layer : net.getLayers()) {
            // paramTable() lists a layer's parameters in the order of the flat vector.
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                long n = p.getValue().length();
                if (keys.contains(p.getKey())) {
                    ranges.add(offset, offset + n);
                }
                offset += n;
            }
        }
        if (offset != net.numParams()) {
            throw new IllegalStateException("parameter table covers " + offset + " of " + net.numParams() + " parameters");
        }
        return ranges.build(offset);
    }
}
