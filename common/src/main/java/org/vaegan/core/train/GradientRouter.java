package org.vaegan.core.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.vaegan.core.config.LossConfig;
import org.vaegan.core.config.LossConfig.GeneratorLoss;
import org.vaegan.core.config.ModelVariant;
import org.vaegan.core.loss.AdversarialLoss;
import org.vaegan.core.loss.PriorLoss;
import org.vaegan.core.loss.SquaredError;
import org.vaegan.core.model.BatchRows;
import org.vaegan.core.model.Part;
import org.vaegan.core.model.VaeGanNetworks;

import java.util.EnumMap;
import java.util.Map;

/**
 * Algorithm 1 of Larsen et al.: from one forward pass, one set of parameters and one set of noise
 * draws, the gradient of each group's own objective, with no update in between.
 * <ul>
 *   <li>encoder: L_prior + L_llike (+ w * L_pixel); no L_GAN reaches it;</li>
 *   <li>decoder: gamma * L_llike (+ w * L_pixel) - L_GAN (its generator form per {@link LossConfig#generator()});</li>
 *   <li>discriminator (features and head): L_GAN only; it never minimises L_llike.</li>
 * </ul>
 * The variants drop networks and terms ({@link ModelVariant}). Every objective is differentiated
 * as a whole function of the batch: batch norm in training mode couples the rows, so a term on
 * the reconstruction rows also sends gradient through the other rows' batch statistics.
 * <p>
 * Passes of a "vaegan" step: Enc forward and backward once; Dec forward on [z; z_p] and backward
 * twice (its own objective, then L_llike alone for the encoder); the discriminator's features
 * forward on [x; Dec(z); Dec(z_p)] and backward three times (L_GAN for its parameters, then the
 * input gradients of the decoder's adversarial term and of L_llike); its head forward and
 * backward twice. Backprop is linear in its error signal, so the decoder's image gradient is the
 * sum of those two input gradients. DL4J's batch norm forgets its batch statistics in backward,
 * hence a forward before each further backward. Where the encoder's and the decoder's signals
 * through the decoder coincide ("vae", or "vae-disl" with gamma 1) one decoder backward serves both.
 */
public final class GradientRouter {
    /** The phases of a step, in order, as {@link StepPhases} hears of them (a variant skips some). */
    public static final String FORWARD = "encoder+decoder forward";
    public static final String DISCRIMINATOR = "discriminator forward+L_GAN backward";
    public static final String ADVERSARIAL = "adversarial input gradient";
    public static final String LLIKE = "L_llike input gradient";
    /** Instead of {@link #LLIKE} in variants without L_llike. */
    public static final String DISCRIMINATOR_RELEASED = "discriminator released";
    public static final String DECODER_BACKWARD = "decoder backward";
    private final VaeGanNetworks nets;
    private final LossConfig loss;
    private final ModelVariant variant;
    private final AdversarialLoss adversarial;
    private final double logvarClamp;
    private final StepPhases phases;
    private final boolean recomputeForward;

    public GradientRouter(VaeGanNetworks nets, LossConfig loss) {
        this(nets, loss, StepPhases.NONE, false);
    }

    /**
     * @param phases           told at the end of each phase of a step, when the phase's
     *                         intermediates are garbage (a place to release native memory)
     * @param recomputeForward drop the encoder's and the decoder's activations once their outputs
     *                         are taken and run their forward again before their backward, so that
     *                         they are not resident through the discriminator's passes (the step's
     *                         memory peak); the gradients are the same
     */
    public GradientRouter(VaeGanNetworks nets, LossConfig loss, StepPhases phases, boolean recomputeForward) {
        this.nets = nets;
        this.loss = loss;
        this.recomputeForward = recomputeForward;
        this.variant = nets.config().variant();
        this.adversarial = new AdversarialLoss(loss.logEpsilon());
        this.logvarClamp = nets.config().logvarClamp();
        this.phases = phases;
    }

    /** Weight of L_pixel in the encoder's and decoder's objectives for this variant. */
    public static double pixelWeight(ModelVariant variant, LossConfig loss) {
        if (!variant.hasEncoder()) {
            return 0.0;
        }
        return variant.pixelLikelihood() ? 1.0 : loss.pixelWeight();
    }

    /**
     * @param x     real images, [B, C, H, W] in [-1, 1]
     * @param noise standard normal draws for the reparameterisation, [B, latent]
     * @param prior standard normal draws z_p for prior samples, [B, latent]
     */
    public RoutedGradients route(INDArray x, INDArray noise, INDArray prior) {
        long b = x.size(0);
        Map<Part, INDArray> grads = new EnumMap<>(Part.class);

        Posterior q = variant.hasEncoder() ? encode(x, noise) : null;

        // Decoder on reconstructions and prior samples together: Dec(z) rows first, then Dec(z_p).
        long reconRows = q != null ? b : 0;
        INDArray decoderInput = q == null ? prior : variant.hasDiscriminator() ? Nd4j.concat(0, q.z, prior) : q.z;
        INDArray decoded = nets.forward(Part.DECODER, decoderInput);
        boolean recompute = recomputeForward && variant.hasDiscriminator();
        if (recompute) {
            nets.releaseActivations(Part.DECODER);
            if (q != null) {
                nets.releaseActivations(Part.ENCODER);
            }
        }
        phases.ended(FORWARD);

        // Error signals at the decoder's output: for the decoder's objective and for the encoder's.
        INDArray decoderSignal = Nd4j.zerosLike(decoded);
        INDArray encoderSignal = q != null ? Nd4j.zerosLike(decoded) : null;
        double pixelWeight = pixelWeight(variant, loss);
        double lPixel = 0.0;
        if (pixelWeight > 0) {
            INDArray recon = BatchRows.of(decoded, 0, b);
            lPixel = SquaredError.value(recon, x);
            INDArray g = SquaredError.grad(recon, x).muli(pixelWeight);
            BatchRows.of(decoderSignal, 0, b).addi(g);
            BatchRows.of(encoderSignal, 0, b).addi(g);
        }

        double lLlike = 0.0;
        double lGan = 0.0;
        double generator = 0.0;
        double realScore = 0.0;
        double fakeScore = 0.0;
        if (variant.hasDiscriminator()) {
            // Discriminator on [x; decoded]: real rows [0, B), then the decoder's rows in its order.
            INDArray disInput = Nd4j.concat(0, x, decoded);
            long total = disInput.size(0);
            long priorFrom = b + reconRows;
            boolean reconAsFake = reconRows > 0 && loss.ganReconstructions();
            INDArray features = nets.forward(Part.DIS_FEATURES, disInput);
            INDArray logits = nets.forward(Part.DIS_HEAD, features);
            INDArray realLogits = BatchRows.of(logits, 0, b);
            INDArray priorLogits = BatchRows.of(logits, priorFrom, total);
            INDArray reconLogits = reconRows > 0 ? BatchRows.of(logits, b, priorFrom) : null;

            realScore = AdversarialLoss.mean(adversarial.realTerms(realLogits));
            fakeScore = AdversarialLoss.mean(adversarial.fakeTerms(priorLogits));
            lGan = realScore + fakeScore + (reconAsFake ? AdversarialLoss.mean(adversarial.fakeTerms(reconLogits)) : 0.0);

            // Discriminator parameters: L_GAN only.
            INDArray disLogitGrad = Nd4j.zerosLike(logits);
            BatchRows.of(disLogitGrad, 0, b).assign(adversarial.discriminatorGradReal(realLogits));
            BatchRows.of(disLogitGrad, priorFrom, total).assign(adversarial.discriminatorGradFake(priorLogits));
            if (reconAsFake) {
                BatchRows.of(disLogitGrad, b, priorFrom).assign(adversarial.discriminatorGradFake(reconLogits));
            }
            VaeGanNetworks.Backprop headForDis = nets.backprop(Part.DIS_HEAD, disLogitGrad);
            grads.put(Part.DIS_HEAD, headForDis.paramGradient());
            grads.put(Part.DIS_FEATURES, nets.backprop(Part.DIS_FEATURES, headForDis.inputGradient()).paramGradient());
            phases.ended(DISCRIMINATOR);

            if (variant.adversarialDecoder()) {
                // The decoder's adversarial term, back to the discriminator's input.
                GeneratorLoss form = loss.generator();
                generator = adversarial.generatorValue(priorLogits, form)
                        + (reconAsFake ? adversarial.generatorValue(reconLogits, form) : 0.0);
                INDArray genLogitGrad = Nd4j.zerosLike(logits);
                BatchRows.of(genLogitGrad, priorFrom, total).assign(adversarial.generatorGrad(priorLogits, form));
                if (reconAsFake) {
                    BatchRows.of(genLogitGrad, b, priorFrom).assign(adversarial.generatorGrad(reconLogits, form));
                }
                nets.prepareAnotherBackprop(Part.DIS_HEAD, features);
                INDArray genFeatureGrad = nets.inputGradient(Part.DIS_HEAD, genLogitGrad);
                nets.prepareAnotherBackprop(Part.DIS_FEATURES, disInput);
                INDArray genImageGrad = nets.inputGradient(Part.DIS_FEATURES, genFeatureGrad);
                decoderSignal.addi(BatchRows.of(genImageGrad, b, total));
                phases.ended(ADVERSARIAL);
            }

            if (variant.featureLikelihood()) {
                // L_llike enters at Dis_l: +(recon - real) on the reconstruction rows, the opposite
                // on the real rows (which depend on the decoder's rows through batch statistics).
                INDArray realFeatures = BatchRows.of(features, 0, b);
                INDArray reconFeatures = BatchRows.of(features, b, 2 * b);
                lLlike = SquaredError.value(reconFeatures, realFeatures);
                INDArray llikeFeatureGrad = Nd4j.zerosLike(features);
                INDArray diff = SquaredError.grad(reconFeatures, realFeatures);
                BatchRows.of(llikeFeatureGrad, b, 2 * b).assign(diff);
                BatchRows.of(llikeFeatureGrad, 0, b).assign(diff.negi());
                nets.prepareAnotherBackprop(Part.DIS_FEATURES, disInput);
                INDArray llikeImageGrad = BatchRows.of(nets.inputGradient(Part.DIS_FEATURES, llikeFeatureGrad), b, total);
                decoderSignal.addi(llikeImageGrad.mul(loss.gamma()));
                encoderSignal.addi(llikeImageGrad);
            }
            nets.releaseActivations(Part.DIS_FEATURES);
            nets.releaseActivations(Part.DIS_HEAD);
            phases.ended(variant.featureLikelihood() ? LLIKE : DISCRIMINATOR_RELEASED);
        }

        // Decoder: its own objective.
        if (recompute) {
            nets.forward(Part.DECODER, decoderInput);
        }
        VaeGanNetworks.Backprop decoderBackprop = nets.backprop(Part.DECODER, decoderSignal);
        grads.put(Part.DECODER, decoderBackprop.paramGradient());
        phases.ended(DECODER_BACKWARD);

        double lPrior = 0.0;
        if (q != null) {
            // Encoder: its reconstruction terms through the decoder, plus L_prior.
            INDArray dDecoderInput;
            if (sameSignalThroughDecoder()) {
                dDecoderInput = decoderBackprop.inputGradient();
            } else {
                nets.prepareAnotherBackprop(Part.DECODER, decoderInput);
                dDecoderInput = nets.inputGradient(Part.DECODER, encoderSignal);
            }
            nets.releaseActivations(Part.DECODER);
            INDArray dz = BatchRows.of(dDecoderInput, 0, b);
            lPrior = PriorLoss.value(q.mu, q.logvar);
            INDArray gradMu = dz.add(PriorLoss.gradMu(q.mu));
            INDArray gradLogvar = dz.mul(noise).muli(q.std).muli(0.5)
                    .addi(PriorLoss.gradLogvar(q.logvar))
                    .muli(q.clampPass);
            if (recompute) {
                nets.forward(Part.ENCODER, x);
            }
            grads.put(Part.ENCODER, nets.backprop(Part.ENCODER, Nd4j.concat(1, gradMu, gradLogvar)).paramGradient());
            nets.releaseActivations(Part.ENCODER);
        } else {
            nets.releaseActivations(Part.DECODER);
        }

        StepLosses losses = new StepLosses(lPrior / b, lLlike / b, lPixel / b, lGan, generator, realScore, fakeScore);
        return new RoutedGradients(grads, losses);
    }

    /** Whether the encoder's signal at the decoder's output equals the decoder's own. */
    private boolean sameSignalThroughDecoder() {
        return !variant.adversarialDecoder() && (!variant.featureLikelihood() || loss.gamma() == 1.0);
    }

    private Posterior encode(INDArray x, INDArray noise) {
        int latent = nets.config().latent();
        // q(z|x) = N(mu, exp(logvar)); z = mu + exp(logvar / 2) * noise.
        INDArray encoded = nets.forward(Part.ENCODER, x);
        INDArray mu = encoded.get(NDArrayIndex.all(), NDArrayIndex.interval(0, latent));
        INDArray rawLogvar = encoded.get(NDArrayIndex.all(), NDArrayIndex.interval(latent, 2L * latent));
        INDArray logvar = Transforms.min(Transforms.max(rawLogvar, -logvarClamp, true), logvarClamp, false);
        // The clamp passes no gradient where it is active.
        INDArray clampPass = Transforms.abs(rawLogvar, true).lte(logvarClamp).castTo(x.dataType());
        INDArray std = Transforms.exp(logvar.mul(0.5), false);
        INDArray z = mu.add(std.mul(noise));
        return new Posterior(mu, logvar, std, clampPass, z);
    }

    private record Posterior(INDArray mu, INDArray logvar, INDArray std, INDArray clampPass, INDArray z) {
    }
}
