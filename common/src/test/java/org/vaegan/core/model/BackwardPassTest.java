package org.vaegan.core.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.config.ModelConfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our backward passes ({@link VaeGanNetworks#backprop} with parameter gradients,
 * {@link VaeGanNetworks#inputGradient} without) equal DL4J's own backprop of every network, on
 * image sides where 'same' padding is symmetric (stride 1) and where it is not (stride 2).
 */
class BackwardPassTest {
    @ParameterizedTest
    @CsvSource({"FLOAT, 8", "FLOAT, 12", "DOUBLE, 8"})
    void equalsDl4jBackprop(DataType dataType, int side) {
        ModelConfig model = TestConfigs.tiny("model.image-size=" + side, "model.channels=3").model();
        VaeGanNetworks nets = new VaeGanModelFactory(model, dataType).build(5);
        int b = 5;
        INDArray images = Nd4j.rand(dataType, b, 3, side, side).subi(0.5);
        INDArray features = nets.forward(Part.DIS_FEATURES, images);
        check(nets, Part.DIS_FEATURES, images, features);
        check(nets, Part.DIS_HEAD, features, nets.forward(Part.DIS_HEAD, features));
        INDArray z = Nd4j.randn(dataType, b, model.latent());
        check(nets, Part.DECODER, z, nets.forward(Part.DECODER, z));
        check(nets, Part.ENCODER, images, nets.forward(Part.ENCODER, images));
    }

    /** Convolutions that take the batch in chunks of rows give what one call over the batch gives. */
    @ParameterizedTest
    @CsvSource({"FLOAT, 12", "DOUBLE, 8"})
    void rowChunksEqualOneCall(DataType dataType, int side) {
        ModelConfig model = TestConfigs.tiny("model.image-size=" + side, "model.channels=3").model();
        VaeGanNetworks nets = new VaeGanModelFactory(model, dataType).build(6);
        int b = 5;
        INDArray images = Nd4j.rand(dataType, b, 3, side, side).subi(0.5);
        INDArray z = Nd4j.randn(dataType, b, model.latent());
        for (Part part : new Part[] {Part.DIS_FEATURES, Part.DECODER, Part.ENCODER}) {
            INDArray input = part == Part.DECODER ? z : images;
            INDArray output = nets.forward(part, input);
            MultiLayerNetwork net = nets.network(part);
            INDArray signal = Nd4j.randn(dataType, output.shape());
            INDArray wholeInput = BackwardPass.run(net, signal, true, Long.MAX_VALUE, output).dup();
            INDArray wholeParams = net.getGradientsViewArray().dup();
            // 1 byte: one row per call; 2 KiB: several rows in the smaller layers, with a shorter last chunk.
            for (long chunkBytes : new long[] {1, 2048}) {
                String calls = ", chunks of " + chunkBytes + " bytes";
                nets.prepareAnotherBackprop(part, input);
                INDArray chunkedInput = BackwardPass.run(net, signal, true, chunkBytes, output);
                assertClose(wholeParams, net.getGradientsViewArray(), part + " parameter gradient" + calls);
                assertClose(wholeInput, chunkedInput, part + " input gradient" + calls);
                nets.prepareAnotherBackprop(part, input);
                assertClose(wholeInput, BackwardPass.run(net, signal, false, chunkBytes, output), part + " input-only gradient" + calls);
            }
        }
        assertEquals(3, BackwardPass.rowsPerChunk(12 * 4 * 100, Nd4j.create(DataType.FLOAT, 7, 100), Nd4j.create(DataType.FLOAT, 7, 4, 100)));
    }

    private static void check(VaeGanNetworks nets, Part part, INDArray input, INDArray output) {
        MultiLayerNetwork net = nets.network(part);
        INDArray signal = Nd4j.randn(output.dataType(), output.shape());
        INDArray dl4jInput = net.backpropGradient(signal, LayerWorkspaceMgr.noWorkspaces()).getSecond().dup();
        INDArray dl4jParams = net.getGradientsViewArray().dup();

        nets.prepareAnotherBackprop(part, input);
        VaeGanNetworks.Backprop ours = nets.backprop(part, signal);
        assertClose(dl4jParams, ours.paramGradient().reshape(dl4jParams.shape()), part + " parameter gradient");
        assertClose(dl4jInput, ours.inputGradient(), part + " input gradient (full pass)");

        nets.prepareAnotherBackprop(part, input);
        INDArray inputOnly = nets.inputGradient(part, signal);
        assertArrayEquals(input.shape(), inputOnly.shape(), part + ": shape");
        assertClose(dl4jInput, inputOnly, part + " input gradient (input-only pass)");
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double norm = expected.norm2Number().doubleValue();
        assertTrue(norm > 0, what + ": zero");
        double relative = actual.sub(expected).norm2Number().doubleValue() / norm;
        assertTrue(relative < (expected.dataType() == DataType.DOUBLE ? 1e-10 : 1e-5),
                what + " " + expected.dataType() + ": relative difference " + relative);
    }
}
