package org.vaegan.spark;

import org.junit.jupiter.api.Test;
import org.vaegan.core.config.ConfigLoader;
import org.vaegan.core.config.LossConfig;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.train.StepLosses;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The driver's per-round line shows the loss terms of the variant, and only those. */
class RoundProgressLineTest {
    private static final StepLosses LOSSES = new StepLosses(12.5, 900.25, 0.125, 1.5, 2.25, 0.5, 0.75);
    private static final LossConfig.Decision DISCRIMINATOR_HELD = new LossConfig.Decision(false, true);

    private static String line(String... sets) {
        VaeganConfig config = ConfigLoader.load(null, List.of(sets)).config();
        return new RoundProgressLine(config.model().variant(), config.loss())
                .format(new RoundProgressLine.Round(3, 12, 15, 5.2, 3e-4, LOSSES, DISCRIMINATOR_HELD, 123.46, 121.0, 122.5, 0));
    }

    @Test
    void vaeganShowsEveryAdversarialTermAndTheGate() {
        assertEquals("round 3/12 | step 15 | 5.2 images/s | lr 3.00e-04 | prior 12.500 llike 900.250 gan 1.5000 gen 2.2500"
                + " | D real 0.500 fake 0.750 | gate dis held dec on | 123.5s (compute 121.0-122.5s)", line("model.variant=vaegan"));
    }

    @Test
    void pixelVaeShowsItsPixelLikelihoodAndNoDiscriminator() {
        assertEquals("round 3/12 | step 15 | 5.2 images/s | lr 3.00e-04 | prior 12.500 pixel 0.125 | 123.5s (compute 121.0-122.5s)",
                line("model.variant=vae"));
    }

    @Test
    void ganHasNoEncoderTerms() {
        assertEquals("round 3/12 | step 15 | 5.2 images/s | lr 3.00e-04 | gan 1.5000 gen 2.2500 | D real 0.500 fake 0.750"
                + " | gate dis held dec on | 123.5s (compute 121.0-122.5s)", line("model.variant=gan"));
    }

    @Test
    void vaeWithDisLikelihoodHasNoGeneratorTermButAnExtraPixelTermWhenWeighted() {
        assertEquals("round 3/12 | step 15 | 5.2 images/s | lr 3.00e-04 | prior 12.500 llike 900.250 pixel 0.125 gan 1.5000"
                        + " | D real 0.500 fake 0.750 | gate dis held dec on | 123.5s (compute 121.0-122.5s)",
                line("model.variant=vae-disl", "loss.pixel-weight=0.5"));
    }

    @Test
    void skippedStepsAreCounted() {
        VaeganConfig config = ConfigLoader.load(null, List.of()).config();
        String line = new RoundProgressLine(config.model().variant(), config.loss())
                .format(new RoundProgressLine.Round(1, 2, 5, 1, 1e-4, LOSSES, LossConfig.Decision.BOTH, 1, 1, 1, 3));
        assertEquals(" | skipped non-finite steps 3", line.substring(line.lastIndexOf(" | ")));
    }
}
