package org.vaegan.core.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
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
import org.nd4j.linalg.indexing.NDArrayIndex;

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
     * array of its own, and as a view that crops a larger one (as the decoder's crops do).
     */
    @ParameterizedTest
    @CsvSource({"1, false", "4, false", "1, true", "4, true"})
    void forwardAndChunkedBackwardEqualTheHelpers(int rowsPerChunk, boolean croppedView) {
        MultiLayerNetwork plain = network();
        assumeTrue(plain.getLayer(0).getHelper() != null,
                "no oneDNN batch-norm helper here (ND4J without oneDNN): nothing to wrap");
        MultiLayerNetwork chunked = network();
        long oneRow = (long) CHANNELS * SIZE * SIZE * Float.BYTES;
        RowChunkedBatchNorm.install(chunked, rowsPerChunk * oneRow);
        assertInstanceOf(RowChunkedBatchNorm.class, chunked.getLayer(0).getHelper());

        Nd4j.getRandom().setSeed(11);
        INDArray input = croppedView
                ? Nd4j.randn(DataType.FLOAT, ROWS, CHANNELS, SIZE + 2, SIZE + 2).muli(3).addi(1)
                        .get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, SIZE + 1), NDArrayIndex.interval(1, SIZE + 1))
                : Nd4j.randn(DataType.FLOAT, ROWS, CHANNELS, SIZE, SIZE).muli(3).addi(1);
        INDArray epsilon = Nd4j.randn(DataType.FLOAT, ROWS, CHANNELS, SIZE, SIZE);
        INDArray gamma = Nd4j.rand(DataType.FLOAT, 1, CHANNELS).addi(0.5);
        INDArray beta = Nd4j.randn(DataType.FLOAT, 1, CHANNELS);
        Pair<Gradient, INDArray> expected = backprop(plain, input, epsilon, gamma, beta);
        INDArray expectedOutput = plain.getLayer(0).activate(true, LayerWorkspaceMgr.noWorkspaces()).dup();
        Pair<Gradient, INDArray> actual = backprop(chunked, input, epsilon, gamma, beta);
        INDArray actualOutput = chunked.getLayer(0).activate(true, LayerWorkspaceMgr.noWorkspaces()).dup();

        assertClose(expectedOutput, actualOutput, "training forward");
        assertClose(expected.getSecond(), actual.getSecond(), "input gradient");
        for (String param : new String[] {BatchNormalizationParamInitializer.GAMMA, BatchNormalizationParamInitializer.BETA,
                BatchNormalizationParamInitializer.GLOBAL_MEAN, BatchNormalizationParamInitializer.GLOBAL_LOG_STD}) {
            assertClose(expected.getFirst().getGradientFor(param), actual.getFirst().getGradientFor(param), param);
        }
    }

    private static Pair<Gradient, INDArray> backprop(MultiLayerNetwork net, INDArray input, INDArray epsilon,
                                                     INDArray gamma, INDArray beta) {
        net.getLayer(0).setParam(BatchNormalizationParamInitializer.GAMMA, gamma.dup());
        net.getLayer(0).setParam(BatchNormalizationParamInitializer.BETA, beta.dup());
        net.initGradientsView();
        net.setInput(input);
        net.feedForward(true, false);
        Pair<Gradient, INDArray> result = net.getLayer(0).backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces());
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

    private static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .list()
                .layer(new BatchNormalization.Builder().nOut(CHANNELS).decay(0.9).eps(1e-5).build())
                .setInputType(InputType.convolutional(SIZE, SIZE, CHANNELS))
                .build());
        OneDnnSupport.enable();
        net.init();
        return net;
    }
}
