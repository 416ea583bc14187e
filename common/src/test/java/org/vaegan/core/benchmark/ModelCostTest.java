package org.vaegan.core.benchmark;

import org.junit.jupiter.api.Test;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.config.ConfigLoader;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelCostTest {
    @Test
    void tinyModelCountedByHand() {
        ModelCost cost = new ModelCost(TestConfigs.tiny().model());
        // Encoder 8x8x1: conv 1->4 at 4x4, conv 4->6 at 2x2, fc 24->8, fc 8->8.
        assertEquals(16 * 4 * 25 + 4 * 6 * 4 * 25 + 24 * 8 + 8 * 8, cost.encoderMacs());
        // Decoder: fc 4->6x4x4, transposed conv 6->4 from 4x4, conv 4->1 at 8x8.
        assertEquals(4 * 96 + 16 * 6 * 4 * 25 + 64 * 4 * 25, cost.decoderMacs());
        // Discriminator: conv 1->3 at 8x8, 3->5 at 4x4, 5->6 at 2x2, fc 24->8, fc 8->1.
        assertEquals(64 * 3 * 25 + 16 * 5 * 3 * 25 + 4 * 6 * 5 * 25 + 24 * 8 + 8, cost.discriminatorMacs());
        assertEquals(6.0 * (4256 + 2 * 16384 + 3 * 14000), cost.trainingFlopsPerImage(), 1e-9);
    }

    @Test
    void paperModelIsAboutFourteenGflopPerTrainingImage() {
        // Authors' FC width 1024: ~1 GMAC for one forward pass of Enc + Dec + Dis.
        ModelCost cost = new ModelCost(ConfigLoader.load("paper-64", null, List.of("model.encoder-fc=1024")).config().model());
        double gflop = cost.trainingFlopsPerImage() / 1e9;
        assertTrue(gflop > 13 && gflop < 15, "paper-64: " + gflop + " GFLOP");
    }

    @Test
    void percentileIsNearestRank() {
        double[] v = {5, 1, 4, 2, 3};
        assertEquals(3, StepBenchmark.percentile(v, 0.5));
        assertEquals(5, StepBenchmark.percentile(v, 0.9));
        assertEquals(1, StepBenchmark.percentile(v, 0.0));
    }
}
