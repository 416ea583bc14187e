package org.vaegan.core.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.vaegan.core.config.LossConfig;
import org.vaegan.core.config.ModelVariant;
import org.vaegan.core.loss.AdversarialLoss;
import org.vaegan.core.loss.PriorLoss;
import org.vaegan.core.loss.SquaredError;
import org.vaegan.core.model.BatchRows;
import org.vaegan.core.model.Part;
import org.vaegan.core.model.VaeGanNetworks;



/**
 * The obvious way to get each group's gradient, against which the router's shared passes are
 * checked: for every group a fresh forward pass of the whole model, then one backward chain of
 * that group's objective alone, summed at the discriminator's features where two terms meet.
 */
final class ReferenceGradients {
    private final VaeGanNetworks nets;
    private final LossConfig loss;
    private final ModelVariant variant;
    private final AdversarialLoss adversarial;
    private final INDArray x;
    private final INDArray noise;
    private final INDArray prior;
    private final long b;

    ReferenceGradients(VaeGanNetworks nets, LossConfig loss, INDArray x, INDArray noise, INDArray prior) {
        this.nets = nets;
        this.loss = loss;
        this.variant = nets.config().variant();
        this.adversarial = new AdversarialLoss(loss.logEpsilon());
        this.x = x;
        this.noise = noise;
        this.prior = prior;
        this.b = x.size(0);
    }

    /** Everything one forward pass of the model computes. */
    private final class Pass {
        INDArray mu;
        INDArray rawLogvar;
        INDArray logvar;
        INDArray decoded;
        INDArray features;
        INDArray logits;
        long reconRows;

        Pass() {
            INDArray decoderInput = prior;
            if (variant.hasEncoder()) {
                int latent = nets.config().latent();
                INDArray encoded = nets.forward(Part.ENCODER, x);
                mu = encoded.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, latent)).dup();
                rawLogvar = encoded.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(latent, 2L * latent)).dup();
                double c = nets.config().logvarClamp();
                logvar = Transforms.min(Transforms.max(rawLogvar, -c, true), c, false);
                INDArray z = mu.add(Transforms.exp(logvar.mul(0.5), true).mul(noise));
                decoderInput = variant.hasDiscriminator() ? Nd4j.concat(0, z, prior) : z;
                reconRows = b;
            }
            decoded = nets.forward(Part.DECODER, decoderInput);
            if (variant.hasDiscriminator()) {
                features = nets.forward(Part.DIS_FEATURES, Nd4j.concat(0, x, decoded));
                logits = nets.forward(Part.DIS_HEAD, features);
            }
        }

        /** d L_GAN / d logits, as the discriminator minimises it. */
        INDArray ganLogitGradient() {
            INDArray g = Nd4j.zerosLike(logits);
            long priorFrom = b + reconRows;
            BatchRows.of(g, 0, b).assign(adversarial.discriminatorGradReal(BatchRows.of(logits, 0, b)));
            BatchRows.of(g, priorFrom, logits.size(0)).assign(adversarial.discriminatorGradFake(BatchRows.of(logits, priorFrom, logits.size(0))));
            if (reconRows > 0 && loss.ganReconstructions()) {
                BatchRows.of(g, b, priorFrom).assign(adversarial.discriminatorGradFake(BatchRows.of(logits, b, priorFrom)));
            }
            return g;
        }

        /** d(decoder's adversarial term) / d logits. */
        INDArray generatorLogitGradient() {
            INDArray g = Nd4j.zerosLike(logits);
            long priorFrom = b + reconRows;
            BatchRows.of(g, priorFrom, logits.size(0)).assign(adversarial.generatorGrad(BatchRows.of(logits, priorFrom, logits.size(0)), loss.generator()));
            if (reconRows > 0 && loss.ganReconstructions()) {
                BatchRows.of(g, b, priorFrom).assign(adversarial.generatorGrad(BatchRows.of(logits, b, priorFrom), loss.generator()));
            }
            return g;
        }

        /** d L_llike / d features (the real rows move with the batch statistics too). */
        INDArray llikeFeatureGradient() {
            INDArray g = Nd4j.zerosLike(features);
            INDArray diff = BatchRows.of(features, b, 2 * b).sub(BatchRows.of(features, 0, b));
            BatchRows.of(g, b, 2 * b).assign(diff);
            BatchRows.of(g, 0, b).assign(diff.neg());
            return g;
        }

        /** d(w * L_pixel) / d decoded. */
        INDArray pixelGradient(double weight) {
            INDArray g = Nd4j.zerosLike(decoded);
            if (weight > 0) {
                BatchRows.of(g, 0, b).assign(SquaredError.grad(BatchRows.of(decoded, 0, b), x).mul(weight));
            }
            return g;
        }

        /** Gradient at the decoder's output of a signal entering the discriminator's features. */
        INDArray throughDiscriminator(INDArray featureGradient) {
            INDArray image = nets.backprop(Part.DIS_FEATURES, featureGradient).inputGradient();
            return BatchRows.of(image, b, image.size(0));
        }
    }

    INDArray discriminator(Part part) {
        Pass pass = new Pass();
        VaeGanNetworks.Backprop head = nets.backprop(Part.DIS_HEAD, pass.ganLogitGradient());
        return part == Part.DIS_HEAD ? head.paramGradient() : nets.backprop(Part.DIS_FEATURES, head.inputGradient()).paramGradient();
    }

    INDArray decoder() {
        Pass pass = new Pass();
        double pixelWeight = GradientRouter.pixelWeight(variant, loss);
        INDArray atOutput = pass.pixelGradient(pixelWeight);
        if (variant.hasDiscriminator()) {
            INDArray atFeatures = Nd4j.zerosLike(pass.features);
            if (variant.featureLikelihood()) {
                atFeatures.addi(pass.llikeFeatureGradient().mul(loss.gamma()));
            }
            if (variant.adversarialDecoder()) {
                atFeatures.addi(nets.backprop(Part.DIS_HEAD, pass.generatorLogitGradient()).inputGradient());
            }
            atOutput.addi(pass.throughDiscriminator(atFeatures));
        }
        return nets.backprop(Part.DECODER, atOutput).paramGradient();
    }

    INDArray encoder() {
        Pass pass = new Pass();
        INDArray atOutput = pass.pixelGradient(GradientRouter.pixelWeight(variant, loss));
        if (variant.featureLikelihood()) {
            atOutput.addi(pass.throughDiscriminator(pass.llikeFeatureGradient()));
        }
        INDArray dz = BatchRows.of(nets.backprop(Part.DECODER, atOutput).inputGradient(), 0, b);
        INDArray std = Transforms.exp(pass.logvar.mul(0.5), true);
        INDArray pass1 = Transforms.abs(pass.rawLogvar, true).lte(nets.config().logvarClamp()).castTo(x.dataType());
        INDArray gradMu = dz.add(PriorLoss.gradMu(pass.mu));
        INDArray gradLogvar = dz.mul(noise).mul(std).mul(0.5).add(PriorLoss.gradLogvar(pass.logvar)).mul(pass1);
        return nets.backprop(Part.ENCODER, Nd4j.concat(1, gradMu, gradLogvar)).paramGradient();
    }

    /** The reference gradient of {@code part}'s group, or null when the variant does not train it. */
    INDArray gradient(Part part) {
        return switch (part) {
            case ENCODER -> variant.hasEncoder() ? encoder() : null;
            case DECODER -> decoder();
            case DIS_FEATURES, DIS_HEAD -> variant.hasDiscriminator() ? discriminator(part) : null;
        };
    }
}
