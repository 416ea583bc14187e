package org.vaegan.core.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.config.ModelConfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class VaeGanModelFactoryTest {
    @Test
    void shapesOfTheSmallModel() {
        ModelConfig model = TestConfigs.defaults().model();
        VaeGanNetworks nets = new VaeGanModelFactory(model).build(1);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 32, 32);
        assertArrayEquals(new long[] {2, 256}, nets.forward(Part.ENCODER, x).shape());
        INDArray decoded = nets.forward(Part.DECODER, Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 128));
        assertArrayEquals(new long[] {2, 3, 32, 32}, decoded.shape());
        // Dis_l of the 32x32 variant: the 3rd convolution, 192 x 8 x 8.
        INDArray features = nets.forward(Part.DIS_FEATURES, decoded);
        assertArrayEquals(new long[] {2, 192, 8, 8}, features.shape());
        assertArrayEquals(new long[] {2, 1}, nets.forward(Part.DIS_HEAD, features).shape());
    }

    @Test
    void convolutionAndBatchNormRunOnOneDnn() {
        Assumptions.assumeTrue(OneDnnSupport.buildHasOneDnn(), "the loaded ND4J build has no oneDNN");
        VaeGanNetworks nets = new VaeGanModelFactory(TestConfigs.tiny().model()).build(1);
        nets.forward(Part.ENCODER, Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 6, 1, 8, 8));
        int checked = 0;
        for (Layer layer : nets.network(Part.ENCODER).getLayers()) {
            if (layer instanceof ConvolutionLayer conv) {
                assertNotNull(conv.getHelper(), "convolution layer without oneDNN helper");
                checked++;
            } else if (layer instanceof BatchNormalization bn) {
                assertNotNull(bn.getHelper(), "batch norm layer without oneDNN helper");
                checked++;
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(checked > 0, "no convolution or batch-norm layer found");
    }

    /** The shipped models of conf/models/: image shape, Dis_l shape and the paper's parameter counts. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "paper-64, 64, 3, 256, 8",
        "cifar-32, 32, 3, 192, 8",
        "grey-28, 28, 1, 128, 7"})
    void shippedModels(String preset, int size, int channels, int featureChannels, int featureSide) {
        ModelConfig model = org.vaegan.core.config.ConfigLoader.load(preset, null, java.util.List.of()).config().model();
        VaeGanNetworks nets = new VaeGanModelFactory(model).build(1);
        INDArray decoded = nets.forward(Part.DECODER, Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, model.latent()));
        assertArrayEquals(new long[] {2, channels, size, size}, decoded.shape());
        INDArray features = nets.forward(Part.DIS_FEATURES, decoded);
        assertArrayEquals(new long[] {2, featureChannels, featureSide, featureSide}, features.shape());
        if ("paper-64".equals(preset)) {
            long params = 0;
            for (Part p : Part.values()) {
                params += nets.numParams(p) - nets.runningStatisticsMask(p).sumNumber().longValue();
            }
            // Paper Table 1 with FC 2048: about 51 M trainable parameters (34 M with the authors' 1024).
            org.junit.jupiter.api.Assertions.assertTrue(params > 48_000_000 && params < 54_000_000, "parameters: " + params);
        }
    }

    @org.junit.jupiter.api.Test
    void initialWeightsFollowTheAuthorsBound() {
        VaeGanNetworks nets = new VaeGanModelFactory(TestConfigs.defaults().model()).build(3);
        // First encoder convolution: fan-in 3 * 5 * 5 = 75, bound 1 / sqrt(75) / sqrt(3).
        INDArray w = nets.network(Part.ENCODER).getLayer(0).getParam("W");
        double bound = 1.0 / Math.sqrt(75) / Math.sqrt(3);
        org.junit.jupiter.api.Assertions.assertTrue(w.amaxNumber().doubleValue() <= bound);
        org.junit.jupiter.api.Assertions.assertTrue(w.amaxNumber().doubleValue() > 0.95 * bound, "weights do not fill the range");
    }

    /**
     * Paper Table 1: every batch norm is followed by a ReLU. DL4J's BatchNormalization ignores an
     * activation set on it, so the ReLU must be its own layer: the output after each batch norm's
     * next layer is the ReLU of the batch norm's output, which has negative values.
     */
    @org.junit.jupiter.api.Test
    void everyBatchNormIsFollowedByARelu() {
        ModelConfig model = TestConfigs.defaults().model();
        VaeGanNetworks nets = new VaeGanModelFactory(model).build(2);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 3, 32, 32).subi(0.5);
        INDArray z = Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, model.latent());
        INDArray features = nets.forward(Part.DIS_FEATURES, x);
        java.util.Map<Part, INDArray> inputs = java.util.Map.of(Part.ENCODER, x, Part.DECODER, z, Part.DIS_FEATURES, x,
                Part.DIS_HEAD, features);
        int checked = 0;
        for (Part part : Part.values()) {
            org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = nets.network(part);
            net.setInput(inputs.get(part));
            java.util.List<INDArray> activations = net.feedForward(true, false);
            for (int i = 0; i < net.getnLayers(); i++) {
                if (net.getLayer(i) instanceof BatchNormalization) {
                    // The batch norm's own output, again from its input: its ReLU overwrote the first one.
                    INDArray normalised = net.getLayer(i).activate(activations.get(i).dup(), true,
                            org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
                    org.junit.jupiter.api.Assertions.assertTrue(normalised.minNumber().doubleValue() < 0,
                            part + " layer " + i + ": batch norm output has no negative values");
                    org.junit.jupiter.api.Assertions.assertTrue(i + 1 < net.getnLayers(), part + " ends with a batch norm");
                    org.junit.jupiter.api.Assertions.assertEquals(
                            org.nd4j.linalg.ops.transforms.Transforms.relu(normalised, true), activations.get(i + 2),
                            part + " layer " + i + ": the layer after this batch norm is not its ReLU");
                    checked++;
                }
            }
        }
        // Encoder 3 conv + 1 FC, decoder 1 FC + 3 transposed conv, Dis 2 in the features + 2 in the head.
        org.junit.jupiter.api.Assertions.assertEquals(12, checked, "batch norms checked");
    }
}
