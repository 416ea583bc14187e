package org.vaegan.core.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The batch-norm layer with {@link RowChunkedBatchNorm} equals it with the oneDNN helper alone: the
 * training forward (its batch statistics are this class's) and the backward in chunks of rows.
 */
class RowChunkedBatchNormTest {
    private static final int ROWS = 6;
    private static final int CHANNELS = 5;
    private static final int SIZE = 7;

    /**
     * One row per chunk, and chunks of 4 rows, whose last chunk is short (6 rows); the input as an
     * array of its own, and as the view a cropping layer before it makes: of the bottom and right
     * edges (as in the decoder) and of all four (its rows are copied first, see
     * {@link RowChunkedBatchNorm}).
     */
    @ParameterizedTest
    @CsvSource({"1, 0, 0", "4, 0, 0", "1, 0, 2", "4, 0, 2", "1, 1, 1", "4, 1, 1"})
    void forwardAndChunkedBackwardEqualTheHelpers(int rowsPerChunk, int cropTopLeft, int cropBottomRight) {
        boolean croppedView = cropTopLeft + cropBottomRight > 0;
        int bn = croppedView ? 1 : 0;
        MultiLayerNetwork plain = network(cropTopLeft, cropBottomRight);
        assumeTrue(plain.getLayer(bn).getHelper() != null,
                "no oneDNN batch-norm helper here (ND4J without oneDNN): nothing to wrap");
        MultiLayerNetwork chunked = network(cropTopLeft, cropBottomRight);
        long oneRow = (long) CHANNELS * SIZE * SIZE * Float.BYTES;
        RowChunkedBatchNorm.install(chunked, rowsPerChunk * oneRow);
        assertInstanceOf(RowChunkedBatchNorm.class, chunked.getLayer(bn).getHelper());

        Nd4j.getRandom().setSeed(11);
        int side = SIZE + cropTopLeft + cropBottomRight;
        INDArray input = Nd4j.randn(DataType.FLOAT, ROWS, CHANNELS, side, side).muli(3).addi(1);
        INDArray epsilon = Nd4j.randn(DataType.FLOAT, ROWS, CHANNELS, SIZE, SIZE);
        INDArray gamma = Nd4j.rand(DataType.FLOAT, 1, CHANNELS).addi(0.5);
        INDArray beta = Nd4j.randn(DataType.FLOAT, 1, CHANNELS);
        Pair<Gradient, INDArray> expected = backprop(plain, bn, input, epsilon, gamma, beta);
        INDArray expectedOutput = plain.getLayer(bn).activate(true, LayerWorkspaceMgr.noWorkspaces()).dup();
        Pair<Gradient, INDArray> actual = backprop(chunked, bn, input, epsilon, gamma, beta);
        assertTrue(chunked.getLayer(bn).input().isView() == croppedView, "the layer's input is a view: " + croppedView);
        INDArray actualOutput = chunked.getLayer(bn).activate(true, LayerWorkspaceMgr.noWorkspaces()).dup();

        assertClose(expectedOutput, actualOutput, "training forward");
        assertClose(expected.getSecond(), actual.getSecond(), "input gradient");
        for (String param : new String[] {BatchNormalizationParamInitializer.GAMMA, BatchNormalizationParamInitializer.BETA,
                BatchNormalizationParamInitializer.GLOBAL_MEAN, BatchNormalizationParamInitializer.GLOBAL_LOG_STD}) {
            assertClose(expected.getFirst().getGradientFor(param), actual.getFirst().getGradientFor(param), param);
        }
    }

    /** The forward as {@link VaeGanNetworks#forward} runs it, then the batch-norm layer's backward. */
    private static Pair<Gradient, INDArray> backprop(MultiLayerNetwork net, int bn, INDArray input, INDArray epsilon,
                                                     INDArray gamma, INDArray beta) {
        net.getLayer(bn).setParam(BatchNormalizationParamInitializer.GAMMA, gamma.dup());
        net.getLayer(bn).setParam(BatchNormalizationParamInitializer.BETA, beta.dup());
        net.initGradientsView();
        net.setInput(input);
        net.feedForward(true, false);
        Pair<Gradient, INDArray> result = net.getLayer(bn).backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces());
        Gradient copy = new org.deeplearning4j.nn.gradient.DefaultGradient();
        result.getFirst().gradientForVariable().forEach((name, g) -> copy.setGradientFor(name, g.dup()));
        return new Pair<>(copy, result.getSecond().dup());
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        INDArray e = expected.reshape(expected.length());
        INDArray a = actual.reshape(actual.length());
        double scale = Math.max(1e-3, e.amaxNumber().doubleValue());
        double error = e.sub(a).amaxNumber().doubleValue();
        assertTrue(error <= 1e-4 * scale, what + ": max difference " + error + " against a largest entry of " + scale);
    }

    private static MultiLayerNetwork network(int cropTopLeft, int cropBottomRight) {
        int side = SIZE + cropTopLeft + cropBottomRight;
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .list();
        if (side > SIZE) {
            list.layer(new Cropping2D(cropTopLeft, cropBottomRight, cropTopLeft, cropBottomRight));
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list
                .layer(new BatchNormalization.Builder().nOut(CHANNELS).decay(0.9).eps(1e-5)
                        // A failure in the helper fails the test instead of passing through DL4J's own code.
                        .helperAllowFallback(false).build())
                .setInputType(InputType.convolutional(side, side, CHANNELS))
                .build());
        OneDnnSupport.enable();
        net.init();
        return net;
    }
}
