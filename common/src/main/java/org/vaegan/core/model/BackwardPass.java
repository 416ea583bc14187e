package org.vaegan.core.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;

/**
 * One backward pass through a network's last forward pass, layer by layer. The (transposed)
 * convolutions with an identity activation, which are nearly all of the time, call libnd4j's
 * oneDNN ops directly: DL4J's own layer backprop first recomputes the layer's forward (for its
 * activation function) and took 2-3x as long as the op alone (64x64 model: 128->256 at batch 192,
 * 1.8-2.2 s against 1.0 s). Passes that only carry a signal on to the next network skip the
 * weight gradients: a convolution's input gradient is its transposed convolution, a transposed
 * convolution's is a convolution. ReLU layers run libnd4j's fused relu_bp. Every other layer
 * (batch norm, whose oneDNN helper {@link RowChunkedBatchNorm} wraps; crops, dense layers, the
 * decoder's tanh output) runs DL4J's own backprop.
 */
final class BackwardPass {
    private static final int NCHW = 0;
    /** libnd4j's weight layouts [oC, iC, kH, kW] (conv2d) and [iC, oC, kH, kW] (deconv2d): DL4J's own. */
    private static final int WEIGHTS_AS_DL4J = 1;
    private static final ActivationReLU PLAIN_RELU = new ActivationReLU();
    /**
     * Convolution ops take the batch in chunks of rows whose input and output gradient are at most
     * this big. Inside each call oneDNN reorders the input, the output gradient and the input
     * gradient to its blocked layout and back: at batch 192 on the 64x64 model three transient 96 MiB
     * copies, which made the discriminator's first backward the step's memory peak (measured 480 MiB
     * above the activations). Rows are independent in a convolution, so chunks change nothing but
     * the order in which weight gradients are summed.
     */
    static final long CHUNK_BYTES = 32L << 20;

    private BackwardPass() {
    }

    /**
     * @param parameterGradients whether to write the layers' parameter gradients into the
     *                           network's gradient view (else the view is left stale or partly overwritten)
     * @return the gradient with respect to the network's input
     */
    static INDArray run(MultiLayerNetwork net, INDArray outputGradient, boolean parameterGradients) {
        return run(net, outputGradient, parameterGradients, CHUNK_BYTES, null);
    }

    /**
     * @param output the network's output from the forward pass being backpropagated, or null: with
     *               it a last convolution with a tanh (the decoder's image layer) runs on the ops
     *               too, its tanh's derivative taken from the output (DL4J's layer ran the
     *               convolution's forward again to get it, and a full backward where only the input
     *               gradient was wanted: 4 % of a 64x64 step)
     */
    static INDArray run(MultiLayerNetwork net, INDArray outputGradient, boolean parameterGradients, INDArray output) {
        return run(net, outputGradient, parameterGradients, CHUNK_BYTES, output);
    }

    static INDArray run(MultiLayerNetwork net, INDArray outputGradient, boolean parameterGradients, long chunkBytes) {
        return run(net, outputGradient, parameterGradients, chunkBytes, null);
    }

    /**
     * @param chunkBytes the most bytes of a convolution's input or output gradient one op call takes
     *                   (the batch is split into chunks of rows; see {@link #CHUNK_BYTES})
     */
    static INDArray run(MultiLayerNetwork net, INDArray outputGradient, boolean parameterGradients, long chunkBytes,
                        INDArray output) {
        if (net.getGradientsViewArray() == null) {
            net.initGradientsView(); // the layers' gradient views, made lazily by DL4J's own backprop
        }
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray epsilon = outputGradient;
        for (int i = net.getnLayers() - 1; i >= 0; i--) {
            INDArray used = epsilon;
            Layer layer = net.getLayer(i);
            Object conf = layer.conf().getLayer();
            if (conf instanceof Deconvolution2D d && direct(d) && d.getConvolutionMode() != ConvolutionMode.Same) {
                epsilon = parameterGradients ? transposedConvolutionBackprop(layer, d, epsilon, chunkBytes)
                        : transposedConvolutionInputGradient(layer, d, epsilon, chunkBytes);
            } else if (conf instanceof ConvolutionLayer c && !(conf instanceof Deconvolution2D) && direct(c)) {
                epsilon = parameterGradients ? convolutionBackprop(layer, c, epsilon, chunkBytes)
                        : convolutionInputGradient(layer, c, epsilon, chunkBytes);
            } else if (output != null && i == net.getnLayers() - 1 && conf instanceof ConvolutionLayer c
                    && !(conf instanceof Deconvolution2D) && directBeforeTanh(c)) {
                // dL/d(pre-activation) = dL/dy * (1 - y^2) for y = tanh(pre-activation).
                INDArray preGradient = output.mul(output).rsubi(1).muli(epsilon);
                epsilon = parameterGradients ? convolutionBackprop(layer, c, preGradient, chunkBytes)
                        : convolutionInputGradient(layer, c, preGradient, chunkBytes);
                preGradient.close();
            } else if (conf instanceof ActivationLayer a && PLAIN_RELU.equals(a.getActivationFn())) {
                // One fused pass; DL4J's activation layer recomputes its output first. A gradient this
                // pass made is overwritten (nothing reads it again): no new activation-sized array.
                INDArray grad = epsilon != outputGradient && !epsilon.isView() ? epsilon
                        : Nd4j.createUninitialized(epsilon.dataType(), epsilon.shape());
                Nd4j.exec(new RectifiedLinearDerivative(layer.input(), epsilon, grad));
                epsilon = grad;
            } else {
                epsilon = layer.backpropGradient(epsilon, mgr).getSecond();
            }
            InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
            if (pre != null) {
                epsilon = pre.backprop(epsilon, (int) epsilon.size(0), mgr);
            }
            if (used != outputGradient) {
                release(used, epsilon);
            }
        }
        return epsilon;
    }

    /**
     * Frees a layer's output gradient once the layer has passed it on, instead of when the GC gets
     * to it: the transient gradients of one pass through the 64x64 discriminator add up to about
     * 0.5 GB. Leaves it alone when the next gradient shares its buffer (a reshaping preprocessor).
     */
    private static void release(INDArray used, INDArray next) {
        if (used.isView() || !used.closeable() || shareBuffer(used, next)) {
            return;
        }
        used.close();
    }

    private static boolean shareBuffer(INDArray a, INDArray b) {
        return rootBuffer(a) == rootBuffer(b);
    }

    /** The buffer that owns an array's memory: the original of a view's buffer, else its own. */
    private static DataBuffer rootBuffer(INDArray array) {
        DataBuffer original = array.data().originalDataBuffer();
        return original != null ? original : array.data();
    }

    private static boolean direct(ConvolutionLayer c) {
        return c.getActivationFn() instanceof ActivationIdentity && undilated(c);
    }

    private static boolean directBeforeTanh(ConvolutionLayer c) {
        return c.getActivationFn() instanceof ActivationTanH && undilated(c);
    }

    private static boolean undilated(ConvolutionLayer c) {
        return c.getDilation()[0] == 1 && c.getDilation()[1] == 1;
    }

    private static int[] integerArguments(ConvolutionLayer c, int[] padding, boolean sameMode) {
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        return new int[] {k[0], k[1], s[0], s[1], padding[0], padding[1], 1, 1, sameMode ? 1 : 0, NCHW, WEIGHTS_AS_DL4J};
    }

    /** The layer's parameter-gradient views by name ("W", and "b" where it has a bias). */
    private static Map<String, INDArray> gradientViews(Layer layer) {
        return layer.conf().getLayer().initializer().getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
    }

    /** conv2d_bp / deconv2d_bp: input gradient, and weight and bias gradients into the layer's views. */
    private static INDArray fullBackprop(String op, Layer layer, INDArray epsilon, int[] intArgs, long chunkBytes) {
        INDArray input = layer.input();
        INDArray w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray b = layer.getParam(DefaultParamInitializer.BIAS_KEY);
        INDArray bias = b != null ? b.reshape(b.length()) : null;
        INDArray gradInput = Nd4j.createUninitialized(epsilon.dataType(), input.shape());
        Map<String, INDArray> views = gradientViews(layer);
        INDArray gradWView = views.get(DefaultParamInitializer.WEIGHT_KEY);
        INDArray gradBView = b != null ? views.get(DefaultParamInitializer.BIAS_KEY) : null;
        INDArray gradW = Nd4j.createUninitialized(w.dataType(), w.shape());
        INDArray gradB = b != null ? Nd4j.createUninitialized(b.dataType(), b.length()) : null;
        forEachChunk(input.size(0), rowsPerChunk(chunkBytes, input, epsilon), (from, to) -> {
            DynamicCustomOp.DynamicCustomOpsBuilder builder = DynamicCustomOp.builder(op).addIntegerArguments(intArgs);
            if (bias != null) {
                builder.addInputs(BatchRows.of(input, from, to), w, bias, BatchRows.of(epsilon, from, to))
                        .addOutputs(BatchRows.of(gradInput, from, to), gradW, gradB);
            } else {
                builder.addInputs(BatchRows.of(input, from, to), w, BatchRows.of(epsilon, from, to))
                        .addOutputs(BatchRows.of(gradInput, from, to), gradW);
            }
            Nd4j.exec(builder.build());
            // The first chunk's sums set the views, later chunks add to them.
            boolean first = from == 0;
            accumulate(gradWView, gradW, first);
            if (gradB != null) {
                accumulate(gradBView, gradB.reshape(gradBView.shape()), first);
            }
        });
        return gradInput;
    }

    private static void accumulate(INDArray view, INDArray chunkSum, boolean first) {
        if (first) {
            view.assign(chunkSum);
        } else {
            view.addi(chunkSum);
        }
    }

    private static INDArray convolutionBackprop(Layer layer, ConvolutionLayer c, INDArray epsilon, long chunkBytes) {
        boolean same = c.getConvolutionMode() == ConvolutionMode.Same;
        return fullBackprop("conv2d_bp", layer, epsilon, integerArguments(c, same ? new int[2] : c.getPadding(), same), chunkBytes);
    }

    private static INDArray transposedConvolutionBackprop(Layer layer, Deconvolution2D d, INDArray epsilon, long chunkBytes) {
        return fullBackprop("deconv2d_bp", layer, epsilon, integerArguments(d, d.getPadding(), false), chunkBytes);
    }

    /** dL/dx of y = conv(x, W): the transposed convolution of dL/dy with W, cut to x's size. */
    private static INDArray convolutionInputGradient(Layer layer, ConvolutionLayer c, INDArray epsilon, long chunkBytes) {
        INDArray input = layer.input();
        INDArray w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        // The padding before the first row and column, where DL4J's forward placed it.
        int[] top = c.getConvolutionMode() != ConvolutionMode.Same ? c.getPadding()
                : ConvolutionUtils.getSameModeTopLeftPadding(new int[] {(int) epsilon.size(2), (int) epsilon.size(3)},
                        new int[] {(int) input.size(2), (int) input.size(3)}, k, s, c.getDilation());
        long outH = (epsilon.size(2) - 1) * s[0] + k[0] - 2L * top[0];
        long outW = (epsilon.size(3) - 1) * s[1] + k[1] - 2L * top[1];
        int[] intArgs = integerArguments(c, top, false);
        INDArray grad = Nd4j.createUninitialized(epsilon.dataType(), input.shape());
        long rows = epsilon.size(0);
        if (outH == input.size(2) && outW == input.size(3)) {
            forEachChunk(rows, rowsPerChunk(chunkBytes, grad, epsilon), (from, to) ->
                    transposedConvolution(BatchRows.of(epsilon, from, to), w, intArgs, BatchRows.of(grad, from, to)));
            return grad;
        }
        // 'Same' padding puts its extra row and column at the bottom/right: they belong to no input
        // pixel. Each chunk goes through a scratch of the full size and only its crop is kept, so the
        // full-size gradient of the whole batch never exists (at batch 192 it was 100 MiB at the
        // step's memory peak).
        long rowBytes = input.size(1) * outH * outW * epsilon.dataType().width();
        long rowsPerChunk = Math.min(rows, Math.min(rowsPerChunk(chunkBytes, epsilon), Math.max(1, chunkBytes / rowBytes)));
        INDArray scratch = Nd4j.createUninitialized(epsilon.dataType(), rowsPerChunk, input.size(1), outH, outW);
        forEachChunk(rows, rowsPerChunk, (from, to) -> {
            INDArray full = BatchRows.of(scratch, 0, to - from);
            transposedConvolution(BatchRows.of(epsilon, from, to), w, intArgs, full);
            BatchRows.of(grad, from, to).assign(full.get(NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(0, input.size(2)), NDArrayIndex.interval(0, input.size(3))));
        });
        scratch.close();
        return grad;
    }

    private static void transposedConvolution(INDArray epsilon, INDArray w, int[] intArgs, INDArray out) {
        Nd4j.exec(DynamicCustomOp.builder("deconv2d").addInputs(epsilon, w).addOutputs(out).addIntegerArguments(intArgs).build());
    }

    /** dL/dx of y = deconv(x, W): the convolution of dL/dy with W (explicit padding, as the decoder builds them). */
    private static INDArray transposedConvolutionInputGradient(Layer layer, Deconvolution2D d, INDArray epsilon, long chunkBytes) {
        INDArray input = layer.input();
        INDArray w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray grad = Nd4j.createUninitialized(epsilon.dataType(), input.shape());
        int[] intArgs = integerArguments(d, d.getPadding(), false);
        forEachChunk(epsilon.size(0), rowsPerChunk(chunkBytes, grad, epsilon), (from, to) ->
                Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(BatchRows.of(epsilon, from, to), w)
                        .addOutputs(BatchRows.of(grad, from, to)).addIntegerArguments(intArgs).build()));
        return grad;
    }

    /** The most rows per chunk that keep each of {@code arrays}' chunks within {@code chunkBytes} (at least one). */
    static long rowsPerChunk(long chunkBytes, INDArray... arrays) {
        long widest = 1;
        for (INDArray a : arrays) {
            widest = Math.max(widest, a.length() / a.size(0) * a.dataType().width());
        }
        return Math.max(1, chunkBytes / widest);
    }

    interface RowRange {
        void run(long from, long to);
    }

    /** Calls {@code body} with [from, to) for consecutive chunks of at most {@code rowsPerChunk} of {@code rows}. */
    static void forEachChunk(long rows, long rowsPerChunk, RowRange body) {
        for (long from = 0; from < rows; from += rowsPerChunk) {
            body.run(from, Math.min(rows, from + rowsPerChunk));
        }
    }
}
