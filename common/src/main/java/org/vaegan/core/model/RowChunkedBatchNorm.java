package org.vaegan.core.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.lang.reflect.Field;
import java.util.Map;

/**
 * DL4J's batch-norm layer around its oneDNN helper, with the batch statistics and the backward pass
 * done here.
 * <ul>
 * <li>Backward in chunks of rows: libnd4j's oneDNN batchnorm_bp makes full-size temporaries next to
 * its input gradient (measured 288 MiB above the pass at batch 192 on the 64x64 discriminator,
 * where it was the step's memory peak), and for inputs that are views (the decoder's crops) it
 * also ran a second, generic pass of broadcasts: 7 % of a 64x64 step. Batch statistics couple the
 * rows, so the chunks take two sweeps: the per-channel sums of dL/dy and dL/dy * x-hat first, then
 * each chunk's input gradient from them.</li>
 * <li>The training forward's batch mean and variance from per-plane sums and sums of squares, two
 * fast reductions over each (image, channel) plane: the helper's mean and variance over dimensions
 * 0, 2 and 3 took 3-4 times as long (4 % of the step). The normalization itself is still libnd4j's
 * oneDNN batchnorm op, as in the helper.</li>
 * </ul>
 * DL4J's layer still turns the batch statistics into its running statistics' step, so that code
 * is DL4J's own and not copied. Anything else (inference, other ranks or layouts) goes to the helper.
 */
final class RowChunkedBatchNorm implements BatchNormalizationHelper {
    private static final Field HELPER_FIELD = helperField();
    private final BatchNormalizationHelper forward;
    private final long chunkBytes;
    /** The last training forward's batch statistics when this class computed them, else null. */
    private INDArray batchMean;
    private INDArray batchVar;

    RowChunkedBatchNorm(BatchNormalizationHelper forward, long chunkBytes) {
        this.forward = forward;
        this.chunkBytes = chunkBytes;
    }

    /** Wraps the helper of every batch-norm layer of {@code net} that has one. */
    static void install(MultiLayerNetwork net, long chunkBytes) {
        for (Layer layer : net.getLayers()) {
            if (layer instanceof BatchNormalization bn && bn.getHelper() instanceof BatchNormalizationHelper h
                    && !(h instanceof RowChunkedBatchNorm)) {
                try {
                    HELPER_FIELD.set(bn, new RowChunkedBatchNorm(h, chunkBytes));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot replace the helper of a DL4J batch-norm layer", e);
                }
            }
        }
    }

    /**
     * The wrapped helper: it runs inference and whatever this class does not handle, and holds the
     * op context {@link HelperContexts} purges.
     */
    BatchNormalizationHelper forwardHelper() {
        return forward;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView, double eps,
                                                     CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        INDArray mean = batchMean;
        INDArray var = batchVar;
        if (mean == null || !handles(input, gamma, beta, format)) {
            return forward.backpropGradient(input, epsilon, shape, gamma, beta, dGammaView, dBetaView, eps, format, workspaceMgr);
        }
        long rows = input.size(0);
        long rowsPerChunk = Math.min(rows, BackwardPass.rowsPerChunk(chunkBytes, input, epsilon));
        // A cropped input whose row ranges ND4J cannot give (see BatchRows.chunksHaveBuffers) is copied once.
        INDArray x = BatchRows.chunksHaveBuffers(input, rowsPerChunk) ? input : input.dup();
        long channels = x.size(1);
        long pixels = x.size(2) * x.size(3);
        INDArray invStd = Transforms.pow(var.reshape(channels).add(eps), -0.5, false);
        ChannelColumns columns = new ChannelColumns(x.dataType(), rowsPerChunk);
        INDArray meanColumn = columns.of(mean);
        INDArray invStdColumn = columns.of(invStd);
        INDArray sumDy = Nd4j.zeros(x.dataType(), channels);
        INDArray sumDyXhat = Nd4j.zeros(x.dataType(), channels);
        INDArray scratch = Nd4j.createUninitialized(x.dataType(), rowsPerChunk * channels, pixels);
        BackwardPass.forEachChunk(rows, rowsPerChunk, (from, to) -> {
            INDArray dy = planes(epsilon, from, to);
            INDArray xHat = shifted(x, from, to, ChannelColumns.rows(meanColumn, to - from, channels), scratch)
                    .muliColumnVector(ChannelColumns.rows(invStdColumn, to - from, channels));
            sumDy.addi(perChannel(dy.sum(1), to - from, channels));
            sumDyXhat.addi(perChannel(xHat.muli(dy).sum(1), to - from, channels));
        });
        double m = (double) rows * pixels;
        INDArray meanDyColumn = columns.of(sumDy.div(m));
        // (x - mean) times this is x-hat * mean(dy * x-hat).
        INDArray xHatScaleColumn = columns.of(invStd.mul(sumDyXhat).divi(m));
        INDArray gammaInvStdColumn = columns.of(gamma.reshape(channels).mul(invStd));
        INDArray gradInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD,
                x.dataType(), x.shape());
        BackwardPass.forEachChunk(rows, rowsPerChunk, (from, to) -> {
            long n = to - from;
            // dL/dx = gamma / std * (dy - mean(dy) - x-hat * mean(dy * x-hat)), means over rows and pixels.
            INDArray t = shifted(x, from, to, ChannelColumns.rows(meanColumn, n, channels), scratch)
                    .muliColumnVector(ChannelColumns.rows(xHatScaleColumn, n, channels));
            planes(gradInput, from, to).assign(planes(epsilon, from, to)).subi(t)
                    .subiColumnVector(ChannelColumns.rows(meanDyColumn, n, channels))
                    .muliColumnVector(ChannelColumns.rows(gammaInvStdColumn, n, channels));
        });
        scratch.close();
        if (x != input) {
            x.close();
        }
        dGammaView.assign(sumDyXhat.reshape(dGammaView.shape()));
        dBetaView.assign(sumDy.reshape(dBetaView.shape()));
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return new Pair<>(gradient, gradInput);
    }

    /**
     * Rows [from, to) of an NCHW array as a matrix with one row per (image, channel) plane: ND4J's
     * column-vector ops on it took 2-8 ms on 32 MiB where its broadcasts along dimension 1 of the
     * 4-d array took 55-60 ms. A view where the rows are contiguous, else a copy (read only).
     */
    private static INDArray planes(INDArray nchw, long from, long to) {
        return BatchRows.of(nchw, from, to).reshape((to - from) * nchw.size(1), nchw.size(2) * nchw.size(3));
    }

    /**
     * Rows [from, to) of {@code nchw} minus each plane's channel mean, as planes in the first rows of
     * {@code scratch}; copied in four dimensions, as the input may be a view (the decoder's crops).
     */
    private static INDArray shifted(INDArray nchw, long from, long to, INDArray meanColumn, INDArray scratch) {
        INDArray rows = BatchRows.of(scratch, 0, (to - from) * nchw.size(1));
        rows.reshape(to - from, nchw.size(1), nchw.size(2), nchw.size(3)).assign(BatchRows.of(nchw, from, to));
        return rows.subiColumnVector(meanColumn);
    }

    /** Per-plane sums [n * C] added up over the n images: [C]. */
    private static INDArray perChannel(INDArray planeSums, long images, long channels) {
        return planeSums.reshape(images, channels).sum(0);
    }

    /**
     * Per-channel values as a column with one entry per plane of a chunk of {@code images} rows, by
     * an outer product with a column of ones (exact: one product by 1 per entry). libnd4j's tile took
     * about 3 ms a call on these few thousand entries, 4 % of a 64x64 step; its broadcasts along a
     * dimension (a row-vector add) crashed in its TAD cache under two Spark tasks in one JVM.
     */
    private static final class ChannelColumns {
        private final INDArray ones;

        ChannelColumns(DataType type, long images) {
            ones = Nd4j.ones(type, images, 1);
        }

        INDArray of(INDArray perChannel) {
            long images = ones.size(0);
            long channels = perChannel.length();
            INDArray columns = Nd4j.createUninitialized(perChannel.dataType(), new long[] {images, channels}, 'c');
            ones.mmuli(perChannel.reshape(1, channels), columns);
            return columns.reshape(images * channels, 1);
        }

        /** The column's entries for the first {@code n} images of a chunk. */
        static INDArray rows(INDArray column, long n, long channels) {
            return BatchRows.of(column, 0, n * channels);
        }
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta, INDArray mean,
                              INDArray var, double decay, double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!training || !handles(x, gamma, beta, format)) {
            batchMean = null;
            batchVar = null;
            return forward.preOutput(x, training, shape, gamma, beta, mean, var, decay, eps, format, workspaceMgr);
        }
        batchStatistics(x);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape());
        Nd4j.exec(DynamicCustomOp.builder("batchnorm")
                .addInputs(x, batchMean, batchVar, gamma.reshape(gamma.length()), beta.reshape(beta.length()))
                .addOutputs(out)
                .addIntegerArguments(1, 1, 1) // apply gamma, apply beta, channel axis (NCHW)
                .addFloatingPointArguments(eps)
                .build());
        return out;
    }

    /**
     * The batch mean and (biased) variance per channel into {@link #batchMean} and {@link #batchVar},
     * from each plane's sum and sum of squares, combined in double. The float sums of squares cost
     * precision only where a channel's mean is far above its spread (relative error about 1e-7
     * times mean^2 / variance).
     */
    private void batchStatistics(INDArray x) {
        int channels = Math.toIntExact(x.size(1));
        double count = (double) x.size(0) * x.size(2) * x.size(3);
        INDArray planeNorms = x.norm2(2, 3);
        double[] sums = x.sum(2, 3).sum(0).castTo(DataType.DOUBLE).toDoubleVector();
        double[] squares = planeNorms.muli(planeNorms).sum(0).castTo(DataType.DOUBLE).toDoubleVector();
        float[] means = new float[channels];
        float[] variances = new float[channels];
        for (int c = 0; c < channels; c++) {
            double m = sums[c] / count;
            means[c] = (float) m;
            variances[c] = (float) Math.max(0, squares[c] / count - m * m);
        }
        // Outside any workspace: DL4J's layer reads them after the forward's workspace has closed.
        try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            batchMean = Nd4j.createFromArray(means).castTo(x.dataType());
            batchVar = Nd4j.createFromArray(variances).castTo(x.dataType());
        }
    }

    /**
     * What this class does itself: 4-d NCHW float with gamma and beta; the rest goes to the helper.
     * Float only, as the helper: for other types DL4J's layer runs its own forward and backward,
     * and its backward would not come here to match a forward done here.
     */
    private static boolean handles(INDArray x, INDArray gamma, INDArray beta, CNN2DFormat format) {
        return x.dataType() == DataType.FLOAT && x.rank() == 4 && format == CNN2DFormat.NCHW && gamma != null && beta != null;
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return batchMean != null ? batchMean : forward.getMeanCache(dataType);
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return batchVar != null ? batchVar : forward.getVarCache(dataType);
    }

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return forward.checkSupported(eps, fixedGammaBeta);
    }

    @Override
    public boolean checkSupported() {
        return forward.checkSupported();
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return forward.helperMemoryUse();
    }

    private static Field helperField() {
        try {
            Field f = BatchNormalization.class.getDeclaredField("helper");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("DL4J's batch-norm layer has no 'helper' field (not 1.0.0-M2.1?)", e);
        }
    }
}
