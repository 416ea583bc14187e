package org.vaegan.core.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.vaegan.core.config.LossConfig.GeneratorLoss;

/**
 * L_GAN as the discriminator's classification loss, on logits l (D = sigmoid(l)), with eps inside
 * the logs as in the authors' code: -log(D + eps) and -log(1 - D + eps). With eps = 0 the exact
 * terms are computed as softplus(-l) and softplus(l), so no log ever sees 0. Each term is a mean
 * over its batch:
 * <pre>L_GAN = mean(-log D(x)) + mean(-log(1 - D(Dec(z_p)))) [+ mean(-log(1 - D(Dec(z))))]</pre>
 * The discriminator minimises L_GAN; the decoder minimises -L_GAN's fake terms (saturating, the
 * paper's minimax form) or mean(-log D(fake)) (non-saturating).
 */
public final class AdversarialLoss {
    private final double eps;

    public AdversarialLoss(double logEpsilon) {
        this.eps = logEpsilon;
    }

    /** -log(D + eps) per row, the term of real images. */
    public INDArray realTerms(INDArray logits) {
        if (eps == 0) {
            return Transforms.softPlus(logits.neg(), false);
        }
        return Transforms.log(Transforms.sigmoid(logits, true).addi(eps), false).negi();
    }

    /** -log(1 - D + eps) per row, the term of generated images; 1 - D is computed as sigmoid(-l). */
    public INDArray fakeTerms(INDArray logits) {
        if (eps == 0) {
            return Transforms.softPlus(logits, true);
        }
        return Transforms.log(Transforms.sigmoid(logits.neg(), false).addi(eps), false).negi();
    }

    public static double mean(INDArray terms) {
        return terms.meanNumber().doubleValue();
    }

    /** d mean(-log(D + eps)) / dl = -D (1 - D) / (D + eps) / n; (D - 1) / n for eps = 0. */
    public INDArray discriminatorGradReal(INDArray logits) {
        long n = logits.size(0);
        INDArray d = Transforms.sigmoid(logits, true);
        if (eps == 0) {
            return d.subi(1.0).divi(n);
        }
        INDArray oneMinusD = Transforms.sigmoid(logits.neg(), false);
        return d.mul(oneMinusD).divi(d.addi(eps)).negi().divi(n);
    }

    /** d mean(-log(1 - D + eps)) / dl = D (1 - D) / (1 - D + eps) / n; D / n for eps = 0. */
    public INDArray discriminatorGradFake(INDArray logits) {
        long n = logits.size(0);
        INDArray d = Transforms.sigmoid(logits, true);
        if (eps == 0) {
            return d.divi(n);
        }
        INDArray oneMinusD = Transforms.sigmoid(logits.neg(), false);
        return d.muli(oneMinusD).divi(oneMinusD.addi(eps)).divi(n);
    }

    /** Gradient of the decoder's adversarial objective with respect to the logits of its images. */
    public INDArray generatorGrad(INDArray fakeLogits, GeneratorLoss form) {
        return switch (form) {
            // d(-mean(-log(1 - D + eps)))/dl
            case SATURATING -> discriminatorGradFake(fakeLogits).negi();
            // d mean(-log(D + eps))/dl
            case NON_SATURATING -> discriminatorGradReal(fakeLogits);
        };
    }

    /** The decoder's adversarial objective value for its images (same forms as {@link #generatorGrad}). */
    public double generatorValue(INDArray fakeLogits, GeneratorLoss form) {
        return switch (form) {
            case SATURATING -> -mean(fakeTerms(fakeLogits));
            case NON_SATURATING -> mean(realTerms(fakeLogits));
        };
    }
}
