package org.vaegan.core.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.vaegan.core.config.LossConfig.GeneratorLoss;

/**
 * L_GAN as the discriminator's classification loss, written on logits l (D = sigmoid(l)) so that
 * no log ever sees 0: -log D = softplus(-l), -log(1 - D) = softplus(l). Each term is a mean over
 * its batch:
 * <pre>L_GAN = mean(-log D(x)) + mean(-log(1 - D(Dec(z_p)))) [+ mean(-log(1 - D(Dec(z))))]</pre>
 * The discriminator minimises L_GAN; the decoder minimises -L_GAN's fake terms (saturating, the
 * paper's minimax form) or mean(-log D(fake)) (non-saturating).
 */
public final class AdversarialLoss {
    private AdversarialLoss() {
    }

    /** -log D(x) per row, for real images: softplus(-l). */
    public static INDArray realTerms(INDArray logits) {
        return Transforms.softPlus(logits.neg(), false);
    }

    /** -log(1 - D(x)) per row, for generated images: softplus(l). */
    public static INDArray fakeTerms(INDArray logits) {
        return Transforms.softPlus(logits, true);
    }

    public static double mean(INDArray terms) {
        return terms.meanNumber().doubleValue();
    }

    /** d mean(-log D(l)) / dl = (sigmoid(l) - 1) / n. */
    public static INDArray discriminatorGradReal(INDArray logits) {
        return Transforms.sigmoid(logits, true).subi(1.0).divi(logits.size(0));
    }

    /** d mean(-log(1 - D(l))) / dl = sigmoid(l) / n. */
    public static INDArray discriminatorGradFake(INDArray logits) {
        return Transforms.sigmoid(logits, true).divi(logits.size(0));
    }

    /** Gradient of the decoder's adversarial objective with respect to the logits of its images. */
    public static INDArray generatorGrad(INDArray fakeLogits, GeneratorLoss form) {
        return switch (form) {
            // d(-mean(-log(1 - D)))/dl = -sigmoid(l) / n
            case SATURATING -> discriminatorGradFake(fakeLogits).negi();
            // d mean(-log D)/dl = (sigmoid(l) - 1) / n
            case NON_SATURATING -> discriminatorGradReal(fakeLogits);
        };
    }

    /** The decoder's adversarial objective value for its images (same forms as {@link #generatorGrad}). */
    public static double generatorValue(INDArray fakeLogits, GeneratorLoss form) {
        return switch (form) {
            case SATURATING -> -mean(fakeTerms(fakeLogits));
            case NON_SATURATING -> mean(realTerms(fakeLogits));
        };
    }
}
