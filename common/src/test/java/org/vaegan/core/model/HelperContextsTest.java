package org.vaegan.core.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.config.ModelConfig;

import java.lang.reflect.Field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** After {@link VaeGanNetworks#releaseActivations} no oneDNN helper context still references an array. */
class HelperContextsTest {
    @Test
    void releasedNetworksKeepNoArraysInTheirHelpers() throws IllegalAccessException {
        ModelConfig model = TestConfigs.tiny("model.image-size=8", "model.channels=3").model();
        VaeGanNetworks nets = new VaeGanModelFactory(model, DataType.FLOAT).build(3);
        INDArray images = Nd4j.rand(DataType.FLOAT, 4, 3, 8, 8);
        nets.forward(Part.DIS_FEATURES, images);
        assumeTrue(heldArrays(nets) > 0, "no oneDNN layer helper holds arrays here (ND4J without oneDNN): nothing to release");

        nets.releaseActivations(Part.DIS_FEATURES);
        assertEquals(0, heldArrays(nets));
    }

    private static int heldArrays(VaeGanNetworks nets) throws IllegalAccessException {
        int held = 0;
        for (Layer layer : nets.network(Part.DIS_FEATURES).getLayers()) {
            LayerHelper helper = HelperContexts.contextHolder(layer);
            if (helper == null) {
                continue;
            }
            for (Field field : HelperContexts.contextFields(helper.getClass())) {
                OpContext context = (OpContext) field.get(helper);
                if (context != null) {
                    held += context.getInputArrays().size() + context.getOutputArrays().size();
                }
            }
        }
        return held;
    }
}
