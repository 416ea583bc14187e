package org.vaegan.core.train;

import org.vaegan.core.model.Part;
import org.vaegan.core.state.ModelState;

import java.io.Serializable;

/**
 * What partitions send back after a round: image-weighted sums of their parameters and optimizer
 * state, the weight (images trained on), loss sums and timings. {@link #merge} is associative and
 * commutative, so any reduction tree gives the same average (up to float rounding order).
 */
public final class PartialUpdate implements Serializable {
    private static final long serialVersionUID = 1L;

    private final float[][] weightedParams;
    private final float[][] weightedOptimizer;
    private final float[] weightedDecoderEma;
    private double weight;
    private long steps;
    private long skippedSteps;
    private double priorSum;
    private double llikeSum;
    private double pixelSum;
    private double ganSum;
    private double generatorSum;
    private double realScoreSum;
    private double fakeScoreSum;
    private double maxComputeSeconds;
    private double minComputeSeconds = Double.MAX_VALUE;
    private double maxStartFetchSeconds;
    private long discriminatorSkips;
    private long decoderSkips;
    private long replicasBuilt;
    private long maxExecutorRssMiB;
    private long maxExecutorPeakRssMiB;

    private PartialUpdate(float[][] weightedParams, float[][] weightedOptimizer, float[] weightedDecoderEma) {
        this.weightedParams = weightedParams;
        this.weightedOptimizer = weightedOptimizer;
        this.weightedDecoderEma = weightedDecoderEma;
    }

    /**
     * A partition's contribution: its final state weighted by the images it trained on. Scales the
     * state's arrays in place (no second copy of the model on the heap): the caller hands it over.
     */
    public static PartialUpdate of(ModelState state, double images) {
        int n = Part.values().length;
        float[][] params = new float[n][];
        float[][] optimizer = new float[n][];
        for (Part p : Part.values()) {
            params[p.ordinal()] = scaleInPlace(state.params(p), images);
            optimizer[p.ordinal()] = scaleInPlace(state.optimizer(p), images);
        }
        float[] ema = state.decoderEma() == null ? null : scaleInPlace(state.decoderEma(), images);
        PartialUpdate u = new PartialUpdate(params, optimizer, ema);
        u.weight = images;
        return u;
    }

    void addLosses(StepLosses l) {
        priorSum += l.prior();
        llikeSum += l.llike();
        pixelSum += l.pixel();
        ganSum += l.gan();
        generatorSum += l.generator();
        realScoreSum += l.realScore();
        fakeScoreSum += l.fakeScore();
        discriminatorSkips += l.discriminatorUpdated() ? 0 : 1;
        decoderSkips += l.decoderUpdated() ? 0 : 1;
    }

    void countSteps(long trained, long skipped) {
        steps += trained;
        skippedSteps += skipped;
    }

    void computeSeconds(double seconds) {
        maxComputeSeconds = Math.max(maxComputeSeconds, seconds);
        minComputeSeconds = Math.min(minComputeSeconds, seconds);
    }

    /** Adds {@code other} into this update and returns it (for Spark's reduce). */
    public PartialUpdate merge(PartialUpdate other) {
        for (int i = 0; i < weightedParams.length; i++) {
            addInto(weightedParams[i], other.weightedParams[i]);
            addInto(weightedOptimizer[i], other.weightedOptimizer[i]);
        }
        if ((weightedDecoderEma == null) != (other.weightedDecoderEma == null)) {
            throw new IllegalArgumentException("cannot merge an update with a decoder moving average and one without");
        }
        if (weightedDecoderEma != null) {
            addInto(weightedDecoderEma, other.weightedDecoderEma);
        }
        weight += other.weight;
        steps += other.steps;
        skippedSteps += other.skippedSteps;
        priorSum += other.priorSum;
        llikeSum += other.llikeSum;
        pixelSum += other.pixelSum;
        ganSum += other.ganSum;
        generatorSum += other.generatorSum;
        realScoreSum += other.realScoreSum;
        fakeScoreSum += other.fakeScoreSum;
        maxComputeSeconds = Math.max(maxComputeSeconds, other.maxComputeSeconds);
        minComputeSeconds = Math.min(minComputeSeconds, other.minComputeSeconds);
        maxStartFetchSeconds = Math.max(maxStartFetchSeconds, other.maxStartFetchSeconds);
        discriminatorSkips += other.discriminatorSkips;
        decoderSkips += other.decoderSkips;
        replicasBuilt += other.replicasBuilt;
        maxExecutorRssMiB = Math.max(maxExecutorRssMiB, other.maxExecutorRssMiB);
        maxExecutorPeakRssMiB = Math.max(maxExecutorPeakRssMiB, other.maxExecutorPeakRssMiB);
        return this;
    }

    /**
     * The weighted average of all merged replicas, at global step {@code step}. Divides this
     * update's sums in place: call it once, as the last use of this object.
     */
    public ModelState average(long step) {
        if (!(weight > 0)) {
            throw new IllegalStateException("cannot average: total weight is " + weight + " (no partition trained)");
        }
        for (int i = 0; i < weightedParams.length; i++) {
            scaleInPlace(weightedParams[i], 1.0 / weight);
            scaleInPlace(weightedOptimizer[i], 1.0 / weight);
        }
        if (weightedDecoderEma != null) {
            scaleInPlace(weightedDecoderEma, 1.0 / weight);
        }
        return new ModelState(weightedParams, weightedOptimizer, step, weightedDecoderEma);
    }

    /** Mean losses over all trained steps of all partitions. */
    public StepLosses meanLosses() {
        double s = Math.max(1, steps);
        return new StepLosses(priorSum / s, llikeSum / s, pixelSum / s, ganSum / s, generatorSum / s, realScoreSum / s, fakeScoreSum / s);
    }

    public double weight() {
        return weight;
    }

    public long steps() {
        return steps;
    }

    public long skippedSteps() {
        return skippedSteps;
    }

    /** Steps in which the equilibrium gate held the discriminator back. */
    public long discriminatorSkips() {
        return discriminatorSkips;
    }

    /** Steps in which the equilibrium gate held the decoder back. */
    public long decoderSkips() {
        return decoderSkips;
    }

    /** Records how long the partition waited for the round's start state (broadcast fetch and deserialization). */
    public void startFetchSeconds(double seconds) {
        maxStartFetchSeconds = Math.max(maxStartFetchSeconds, seconds);
    }

    /** The longest wait of any partition for the round's broadcast start state. */
    public double maxStartFetchSeconds() {
        return maxStartFetchSeconds;
    }

    /** Compute time of the slowest partition. */
    public double maxComputeSeconds() {
        return maxComputeSeconds;
    }

    /** Records whether the partition had to build its replica (a new executor) instead of reusing one. */
    public void countReplicaBuilt(boolean built) {
        replicasBuilt += built ? 1 : 0;
    }

    /** Replicas built this round; 0 once every executor keeps one from an earlier round. */
    public long replicasBuilt() {
        return replicasBuilt;
    }

    /** Records the resident memory of the JVM that trained this partition, after its steps. */
    public void executorMemory(long rssMiB, long peakRssMiB) {
        maxExecutorRssMiB = Math.max(maxExecutorRssMiB, rssMiB);
        maxExecutorPeakRssMiB = Math.max(maxExecutorPeakRssMiB, peakRssMiB);
    }

    /** The largest resident memory of any executor JVM at the end of its partition's steps (MiB). */
    public long maxExecutorRssMiB() {
        return maxExecutorRssMiB;
    }

    /** The largest peak resident memory of any executor JVM so far (MiB). */
    public long maxExecutorPeakRssMiB() {
        return maxExecutorPeakRssMiB;
    }

    /** Compute time of the fastest partition. */
    public double minComputeSeconds() {
        return minComputeSeconds == Double.MAX_VALUE ? 0.0 : minComputeSeconds;
    }

    /** Slowest over fastest partition compute time: how much the round waited for a straggler. */
    public double stragglerRatio() {
        double min = minComputeSeconds();
        return min > 0 ? maxComputeSeconds / min : 1.0;
    }

    private static float[] scaleInPlace(float[] values, double factor) {
        float f = (float) factor;
        for (int i = 0; i < values.length; i++) {
            values[i] *= f;
        }
        return values;
    }

    private static void addInto(float[] target, float[] source) {
        if (target.length != source.length) {
            throw new IllegalArgumentException("cannot merge updates of " + target.length + " and " + source.length + " values");
        }
        for (int i = 0; i < target.length; i++) {
            target[i] += source[i];
        }
    }
}
