package org.vaegan.core.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The gradient with respect to a network's input of its last forward pass, without the parameter
 * gradients. A step needs three such passes through the discriminator and one through the
 * decoder; DL4J's backprop always computes the weight gradients too, which is about half of a
 * convolution's backward. Here a convolution's input gradient is its transposed convolution and a
 * transposed convolution's input gradient is a convolution (both on oneDNN, explicit padding);
 * every other layer runs its own backprop (batch norm, activations, crops and dense layers are
 * cheap next to the convolutions). The layers' parameter-gradient views are overwritten on the way.
 */
final class InputGradientPass {
    private static final int NCHW = 0;
    /** libnd4j's weight layout [oC, iC, kH, kW] for conv2d and [iC, oC, kH, kW] for deconv2d: DL4J's own layouts. */
    private static final int WEIGHTS_AS_DL4J = 1;

    private InputGradientPass() {
    }

    static INDArray run(MultiLayerNetwork net, INDArray outputGradient) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray epsilon = outputGradient;
        for (int i = net.getnLayers() - 1; i >= 0; i--) {
            Layer layer = net.getLayer(i);
            Object conf = layer.conf().getLayer();
            if (conf instanceof Deconvolution2D d && isIdentity(d)) {
                epsilon = transposedConvolutionInputGradient(layer, d, epsilon);
            } else if (conf instanceof ConvolutionLayer c && !(conf instanceof Deconvolution2D) && isIdentity(c)) {
                epsilon = convolutionInputGradient(layer, c, epsilon);
            } else {
                epsilon = layer.backpropGradient(epsilon, mgr).getSecond();
            }
            InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
            if (pre != null) {
                epsilon = pre.backprop(epsilon, (int) epsilon.size(0), mgr);
            }
        }
        return epsilon;
    }

    private static boolean isIdentity(ConvolutionLayer c) {
        return c.getActivationFn() instanceof ActivationIdentity && c.getDilation()[0] == 1 && c.getDilation()[1] == 1;
    }

    /** dL/dx of y = conv(x, W): the transposed convolution of dL/dy with W, cut to x's size. */
    private static INDArray convolutionInputGradient(Layer layer, ConvolutionLayer c, INDArray epsilon) {
        INDArray input = layer.input();
        INDArray w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        int[] top = topLeftPadding(c, input, k, s);
        long outH = (epsilon.size(2) - 1) * s[0] + k[0] - 2L * top[0];
        long outW = (epsilon.size(3) - 1) * s[1] + k[1] - 2L * top[1];
        INDArray full = Nd4j.createUninitialized(epsilon.dataType(), epsilon.size(0), input.size(1), outH, outW);
        Nd4j.exec(DynamicCustomOp.builder("deconv2d").addInputs(epsilon, w).addOutputs(full)
                .addIntegerArguments(k[0], k[1], s[0], s[1], top[0], top[1], 1, 1, 0, NCHW, WEIGHTS_AS_DL4J).build());
        if (outH == input.size(2) && outW == input.size(3)) {
            return full;
        }
        // 'Same' padding puts its extra row and column at the bottom/right: they belong to no input pixel.
        INDArray grad = Nd4j.createUninitialized(epsilon.dataType(), input.shape());
        grad.assign(full.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, input.size(2)),
                NDArrayIndex.interval(0, input.size(3))));
        return grad;
    }

    /** dL/dx of y = deconv(x, W): the convolution of dL/dy with W (explicit padding, as the decoder builds them). */
    private static INDArray transposedConvolutionInputGradient(Layer layer, Deconvolution2D d, INDArray epsilon) {
        if (d.getConvolutionMode() == ConvolutionMode.Same) {
            return layer.backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces()).getSecond();
        }
        INDArray input = layer.input();
        INDArray w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
        int[] k = d.getKernelSize();
        int[] s = d.getStride();
        int[] p = d.getPadding();
        INDArray grad = Nd4j.createUninitialized(epsilon.dataType(), input.shape());
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(epsilon, w).addOutputs(grad)
                .addIntegerArguments(k[0], k[1], s[0], s[1], p[0], p[1], 1, 1, 0, NCHW, WEIGHTS_AS_DL4J).build());
        return grad;
    }

    /** The padding before the first row and column, as DL4J and libnd4j place it. */
    private static int[] topLeftPadding(ConvolutionLayer c, INDArray input, int[] k, int[] s) {
        if (c.getConvolutionMode() != ConvolutionMode.Same) {
            return c.getPadding();
        }
        int[] pad = new int[2];
        for (int d = 0; d < 2; d++) {
            long in = input.size(2 + d);
            long out = (in + s[d] - 1) / s[d];
            pad[d] = (int) (Math.max(0, (out - 1) * s[d] + k[d] - in) / 2);
        }
        return pad;
    }
}
