package org.vaegan.core.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.config.ModelConfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The input-gradient-only backward (transposed convolutions for convolutions, convolutions for
 * transposed convolutions) equals DL4J's full backprop of every network, on image sides where
 * 'same' padding is symmetric (stride 1) and where it is not (stride 2, odd totals).
 */
class InputGradientPassTest {
    @ParameterizedTest
    @CsvSource({"FLOAT, 8", "FLOAT, 12", "DOUBLE, 8"})
    void equalsTheFullBackprop(DataType dataType, int side) {
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

    private static void check(VaeGanNetworks nets, Part part, INDArray input, INDArray output) {
        INDArray signal = Nd4j.randn(output.dataType(), output.shape());
        INDArray expected = nets.backprop(part, signal).inputGradient().dup();
        nets.prepareAnotherBackprop(part, input);
        INDArray actual = nets.inputGradient(part, signal);
        assertArrayEquals(input.shape(), actual.shape(), part + ": shape");
        double norm = expected.norm2Number().doubleValue();
        assertTrue(norm > 0, part + ": zero input gradient");
        double relative = actual.sub(expected).norm2Number().doubleValue() / norm;
        assertTrue(relative < (input.dataType() == DataType.DOUBLE ? 1e-10 : 1e-5),
                part + " " + input.dataType() + ": relative difference " + relative);
    }
}
