package org.vaegan.core.train;

import java.io.Serializable;

/**
 * Loss values of one step. {@code prior} and {@code llike} are per image (the objectives sum over
 * images); {@code gan} is L_GAN as the discriminator minimises it; {@code realScore} and
 * {@code fakeScore} are mean(-log D(x)) and mean(-log(1 - D(Dec(z_p)))), the statistics of the
 * equilibrium gate.
 */
public record StepLosses(double prior, double llike, double gan, double generator, double realScore, double fakeScore)
        implements Serializable {

    public boolean allFinite() {
        return Double.isFinite(prior) && Double.isFinite(llike) && Double.isFinite(gan)
                && Double.isFinite(generator) && Double.isFinite(realScore) && Double.isFinite(fakeScore);
    }
}
