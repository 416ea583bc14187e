package org.vaegan.core.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaegan.core.model.Part;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A step is bad when a loss or any gradient entry is NaN or infinite; the report names which. */
class RoutedGradientsTest {
    private static final StepLosses FINITE = new StepLosses(1, 2, 0, 3, 4, 0.5, 0.6);

    private static RoutedGradients with(float bad) {
        INDArray g = Nd4j.createFromArray(new float[] {0.1f, -2f, 3f, 0f});
        g.putScalar(2, bad);
        return new RoutedGradients(Map.of(Part.ENCODER, Nd4j.ones(3), Part.DECODER, g), FINITE);
    }

    @Test
    void finiteStepReportsNothing() {
        assertNull(with(1f).firstNonFinite());
    }

    @Test
    void nanOrInfinityInAGradientNamesTheNetwork() {
        assertEquals("the gradient of the decoder network", with(Float.NaN).firstNonFinite());
        assertEquals("the gradient of the decoder network", with(Float.POSITIVE_INFINITY).firstNonFinite());
        assertEquals("the gradient of the decoder network", with(Float.NEGATIVE_INFINITY).firstNonFinite());
    }

    @Test
    void finiteEntriesWhoseSumOverflowsAreFine() {
        RoutedGradients r = new RoutedGradients(Map.of(Part.DECODER, Nd4j.createFromArray(new float[] {3e38f, 3e38f, 3e38f})), FINITE);
        assertNull(r.firstNonFinite());
    }

    @Test
    void aBadLossIsNamedFirst() {
        RoutedGradients r = new RoutedGradients(Map.of(Part.DECODER, Nd4j.ones(2)),
                new StepLosses(1, Double.NaN, 0, 3, 4, 0.5, 0.6));
        assertEquals("L_llike", r.firstNonFinite());
    }
}
