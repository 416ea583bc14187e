package org.vaegan.core.train;

import java.io.Serializable;

/**
 * Loss values of one step. {@code prior} and {@code llike} are per image (the objectives sum over
 * images); {@code gan} is L_GAN as the discriminator minimises it; {@code realScore} and
 * {@code fakeScore} are mean(-log D(x)) and mean(-log(1 - D(Dec(z_p)))), the statistics of the
 * equilibrium gate.
 */
public record StepLosses(double prior, double llike, double gan, double generator, double realScore, double fakeScore,
                         boolean discriminatorUpdated, boolean decoderUpdated) implements Serializable {

    public StepLosses(double prior, double llike, double gan, double generator, double realScore, double fakeScore) {
        this(prior, llike, gan, generator, realScore, fakeScore, true, true);
    }

    /** The same losses with the equilibrium gate's decision of the step. */
    public StepLosses withDecision(org.vaegan.core.config.LossConfig.Decision d) {
        return new StepLosses(prior, llike, gan, generator, realScore, fakeScore, d.updateDiscriminator(), d.updateDecoder());
    }

    public boolean allFinite() {
        return Double.isFinite(prior) && Double.isFinite(llike) && Double.isFinite(gan)
                && Double.isFinite(generator) && Double.isFinite(realScore) && Double.isFinite(fakeScore);
    }
}
