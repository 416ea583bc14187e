package org.vaegan.core.train;

import org.vaegan.core.config.LossConfig.Decision;

import java.io.Serializable;

/**
 * Loss values of one step. {@code prior}, {@code llike} and {@code pixel} are per image (the
 * objectives sum over images); {@code gan} is L_GAN as the discriminator minimises it;
 * {@code generator} the decoder's adversarial term; {@code realScore} and {@code fakeScore} are
 * mean(-log D(x)) and mean(-log(1 - D(Dec(z_p)))), the statistics of the equilibrium gate. Terms a
 * variant does not have are 0.
 */
public record StepLosses(double prior, double llike, double pixel, double gan, double generator, double realScore,
                         double fakeScore, boolean discriminatorUpdated, boolean decoderUpdated) implements Serializable {

    public StepLosses(double prior, double llike, double pixel, double gan, double generator, double realScore,
                      double fakeScore) {
        this(prior, llike, pixel, gan, generator, realScore, fakeScore, true, true);
    }

    /** The same losses with the equilibrium gate's decision of the step. */
    public StepLosses withDecision(Decision d) {
        return new StepLosses(prior, llike, pixel, gan, generator, realScore, fakeScore,
                d.updateDiscriminator(), d.updateDecoder());
    }

    public boolean allFinite() {
        return firstNonFinite() == null;
    }

    /** The name of the first loss that is NaN or infinite, or null when all are finite. */
    public String firstNonFinite() {
        String[] names = {"L_prior", "L_llike", "L_pixel", "L_GAN", "the decoder's adversarial term"};
        double[] values = {prior, llike, pixel, gan, generator};
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                return names[i];
            }
        }
        return null;
    }
}
