package org.vaegan.core.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.vaegan.core.config.LossConfig;
import org.vaegan.core.loss.AdversarialLoss;
import org.vaegan.core.loss.FeatureLoss;
import org.vaegan.core.loss.PriorLoss;
import org.vaegan.core.model.Part;
import org.vaegan.core.model.VaeGanNetworks;

import java.util.EnumMap;
import java.util.Map;

/**
 * Algorithm 1 of Larsen et al.: from one forward pass and one set of parameters, the gradient of
 * each group's own objective, with no update in between.
 * <ul>
 *   <li>encoder: L_prior + L_llike (no L_GAN reaches it);</li>
 *   <li>decoder: gamma * L_llike - L_GAN (its adversarial form per {@link LossConfig#generator()});</li>
 *   <li>discriminator (features and head): L_GAN only (it never minimises L_llike).</li>
 * </ul>
 * Passes of one step: Enc forward/backward once; Dec forward on [z; z_p] and backward twice
 * (its own objective, then L_llike alone for the encoder); the discriminator forward on
 * [x; Dec(z); Dec(z_p)], backward with L_GAN for its parameters, then twice more for the input
 * gradients of the decoder's adversarial term and of L_llike. Backprop is linear in its error
 * signal, so the decoder's image gradient is adversarial + gamma * L_llike from those two.
 * Batch norm forgets its batch statistics after a backward pass, hence a forward before each.
 */
public final class GradientRouter {
    private final VaeGanNetworks nets;
    private final LossConfig loss;
    private final double logvarClamp;
    private final Runnable phaseDone;

    public GradientRouter(VaeGanNetworks nets, LossConfig loss) {
        this(nets, loss, () -> { });
    }

    /**
     * @param phaseDone called between the phases of a step, when the previous phase's
     *                  intermediates are garbage (a place to release native memory)
     */
    public GradientRouter(VaeGanNetworks nets, LossConfig loss, Runnable phaseDone) {
        this.phaseDone = phaseDone;
        this.nets = nets;
        this.loss = loss;
        this.logvarClamp = nets.config().logvarClamp();
    }

    /**
     * @param x     real images, [B, C, H, W] in [-1, 1]
     * @param noise standard normal draws for the reparameterisation, [B, latent]
     * @param prior standard normal draws z_p for prior samples, [B, latent]
     */
    public RoutedGradients route(INDArray x, INDArray noise, INDArray prior) {
        long b = x.size(0);
        int latent = nets.config().latent();

        // Encoder: q(z|x) = N(mu, exp(logvar)); z = mu + exp(logvar / 2) * noise.
        INDArray encoded = nets.forward(Part.ENCODER, x);
        INDArray mu = encoded.get(NDArrayIndex.all(), NDArrayIndex.interval(0, latent));
        INDArray rawLogvar = encoded.get(NDArrayIndex.all(), NDArrayIndex.interval(latent, 2L * latent));
        INDArray logvar = Transforms.min(Transforms.max(rawLogvar, -logvarClamp, true), logvarClamp, false);
        // The clamp passes no gradient where it is active.
        INDArray clampPass = Transforms.abs(rawLogvar, true).lte(logvarClamp).castTo(x.dataType());
        INDArray std = Transforms.exp(logvar.mul(0.5), false);
        INDArray z = mu.add(std.mul(noise));

        // Decoder on reconstructions and prior samples together: rows [0, B) and [B, 2B).
        INDArray decoderInput = Nd4j.concat(0, z, prior);
        INDArray decoded = nets.forward(Part.DECODER, decoderInput);

        // Discriminator on [x; Dec(z); Dec(z_p)].
        INDArray disInput = Nd4j.concat(0, x, decoded);
        INDArray features = nets.forward(Part.DIS_FEATURES, disInput);
        INDArray logits = nets.forward(Part.DIS_HEAD, features);
        INDArray realLogits = rows(logits, 0, b);
        INDArray reconLogits = rows(logits, b, 2 * b);
        INDArray priorLogits = rows(logits, 2 * b, 3 * b);
        INDArray realFeatures = rows(features, 0, b);
        INDArray reconFeatures = rows(features, b, 2 * b);

        double lPrior = PriorLoss.value(mu, logvar);
        double lLlike = FeatureLoss.value(reconFeatures, realFeatures);
        double realScore = AdversarialLoss.mean(AdversarialLoss.realTerms(realLogits));
        double fakeScore = AdversarialLoss.mean(AdversarialLoss.fakeTerms(priorLogits));
        double reconScore = loss.ganReconstructions() ? AdversarialLoss.mean(AdversarialLoss.fakeTerms(reconLogits)) : 0.0;
        double lGan = realScore + fakeScore + reconScore;
        double generator = AdversarialLoss.generatorValue(priorLogits, loss.generator())
                + (loss.ganReconstructions() ? AdversarialLoss.generatorValue(reconLogits, loss.generator()) : 0.0);

        Map<Part, INDArray> grads = new EnumMap<>(Part.class);

        // Discriminator: L_GAN only.
        INDArray disLogitGrad = Nd4j.concat(0,
                AdversarialLoss.discriminatorGradReal(realLogits),
                loss.ganReconstructions() ? AdversarialLoss.discriminatorGradFake(reconLogits) : Nd4j.zerosLike(reconLogits),
                AdversarialLoss.discriminatorGradFake(priorLogits));
        VaeGanNetworks.Backprop headForDis = nets.backprop(Part.DIS_HEAD, disLogitGrad);
        grads.put(Part.DIS_HEAD, headForDis.paramGradient());
        grads.put(Part.DIS_FEATURES, nets.backprop(Part.DIS_FEATURES, headForDis.inputGradient()).paramGradient());

        phaseDone.run();

        // Input gradients of the decoder's adversarial term (through the head and the features).
        INDArray genLogitGrad = Nd4j.concat(0,
                Nd4j.zerosLike(realLogits),
                loss.ganReconstructions() ? AdversarialLoss.generatorGrad(reconLogits, loss.generator()) : Nd4j.zerosLike(reconLogits),
                AdversarialLoss.generatorGrad(priorLogits, loss.generator()));
        nets.forward(Part.DIS_HEAD, features);
        INDArray genFeatureGrad = nets.backprop(Part.DIS_HEAD, genLogitGrad).inputGradient();
        nets.forward(Part.DIS_FEATURES, disInput);
        INDArray genImageGrad = nets.backprop(Part.DIS_FEATURES, genFeatureGrad).inputGradient();

        // Input gradient of L_llike: it enters at Dis_l, on the reconstruction rows only.
        INDArray llikeFeatureGrad = Nd4j.zerosLike(features);
        rows(llikeFeatureGrad, b, 2 * b).assign(FeatureLoss.gradReconstruction(reconFeatures, realFeatures));
        phaseDone.run();
        nets.forward(Part.DIS_FEATURES, disInput);
        INDArray llikeImageGrad = nets.backprop(Part.DIS_FEATURES, llikeFeatureGrad).inputGradient();

        phaseDone.run();

        // Decoder: gamma * L_llike - L_GAN, on rows [B, 3B) of the discriminator's input.
        INDArray decoderOutputGrad = rows(genImageGrad, b, 3 * b).add(rows(llikeImageGrad, b, 3 * b).mul(loss.gamma()));
        grads.put(Part.DECODER, nets.backprop(Part.DECODER, decoderOutputGrad).paramGradient());

        phaseDone.run();

        // Encoder: L_llike through the decoder (reconstruction rows only), plus L_prior.
        INDArray llikeDecoderGrad = Nd4j.zerosLike(decoded);
        rows(llikeDecoderGrad, 0, b).assign(rows(llikeImageGrad, b, 2 * b));
        nets.forward(Part.DECODER, decoderInput);
        INDArray dz = rows(nets.backprop(Part.DECODER, llikeDecoderGrad).inputGradient(), 0, b);
        INDArray gradMu = dz.add(PriorLoss.gradMu(mu));
        INDArray gradLogvar = dz.mul(noise).muli(std).muli(0.5)
                .addi(PriorLoss.gradLogvar(logvar))
                .muli(clampPass);
        grads.put(Part.ENCODER, nets.backprop(Part.ENCODER, Nd4j.concat(1, gradMu, gradLogvar)).paramGradient());

        StepLosses losses = new StepLosses(lPrior / b, lLlike / b, lGan, generator, realScore, fakeScore);
        return new RoutedGradients(grads, losses);
    }

    private static INDArray rows(INDArray a, long from, long to) {
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        idx[0] = NDArrayIndex.interval(from, to);
        for (int i = 1; i < idx.length; i++) {
            idx[i] = NDArrayIndex.all();
        }
        return a.get(idx);
    }
}
