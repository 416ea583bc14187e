package org.vaegan.spark;

import org.vaegan.core.config.LossConfig;
import org.vaegan.core.config.ModelVariant;
import org.vaegan.core.train.GradientRouter;
import org.vaegan.core.train.StepLosses;

import java.util.Locale;

/**
 * The driver's progress line of a round: the losses of the terms the model variant has, no
 * others (a pixel-wise VAE showed "llike 0.000 gan 0.0000 ... D real 0.000" and hid the one
 * likelihood it trains on).
 */
public final class RoundProgressLine {
    private final ModelVariant variant;
    private final boolean pixelTerm;

    public RoundProgressLine(ModelVariant variant, LossConfig loss) {
        this.variant = variant;
        this.pixelTerm = GradientRouter.pixelWeight(variant, loss) > 0;
    }

    /** What a round measured, as the line shows it. */
    public record Round(int round, int rounds, long step, double imagesPerSecond, double learningRate,
                        StepLosses losses, LossConfig.Decision gate, double seconds, double minComputeSeconds,
                        double maxComputeSeconds, long skippedSteps) {
    }

    public String format(Round r) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d/%d | step %d | %.1f images/s | lr %.2e |",
                r.round(), r.rounds(), r.step(), r.imagesPerSecond(), r.learningRate()));
        StepLosses l = r.losses();
        if (variant.hasEncoder()) {
            line.append(String.format(Locale.ROOT, " prior %.3f", l.prior()));
        }
        if (variant.featureLikelihood()) {
            line.append(String.format(Locale.ROOT, " llike %.3f", l.llike()));
        }
        if (pixelTerm) {
            line.append(String.format(Locale.ROOT, " pixel %.3f", l.pixel()));
        }
        if (variant.hasDiscriminator()) {
            line.append(String.format(Locale.ROOT, " gan %.4f", l.gan()));
            if (variant.adversarialDecoder()) {
                line.append(String.format(Locale.ROOT, " gen %.4f", l.generator()));
            }
            line.append(String.format(Locale.ROOT, " | D real %.3f fake %.3f | gate dis %s dec %s",
                    l.realScore(), l.fakeScore(), onOrHeld(r.gate().updateDiscriminator()), onOrHeld(r.gate().updateDecoder())));
        }
        line.append(String.format(Locale.ROOT, " | %.1fs (compute %.1f-%.1fs)", r.seconds(), r.minComputeSeconds(),
                r.maxComputeSeconds()));
        if (r.skippedSteps() > 0) {
            line.append(" | skipped non-finite steps ").append(r.skippedSteps());
        }
        return line.toString();
    }

    private static String onOrHeld(boolean on) {
        return on ? "on" : "held";
    }
}
