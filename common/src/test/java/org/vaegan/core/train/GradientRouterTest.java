package org.vaegan.core.train;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.config.ModelVariant;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.Shard;
import org.vaegan.core.model.Part;
import org.vaegan.core.model.VaeGanModelFactory;
import org.vaegan.core.model.VaeGanNetworks;

import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which objective reaches which network (the paper's Algorithm 1), for every model variant. */
class GradientRouterTest {

    /** One step's inputs, in the precision of the networks. */
    private record Inputs(INDArray x, INDArray noise, INDArray prior) {
        static Inputs of(VaeganConfig config, long seed, DataType type) {
            Shard shard = Shard.synthetic(0, 24, config.model().channels(), config.model().imageSize(), seed);
            StepDraws draws = StepDraws.of(seed, 0, 0, 0, shard.images(), config.train().batchSize(), config.model().latent());
            return new Inputs(shard.batch(draws.rows()).castTo(type), draws.noise().castTo(type), draws.prior().castTo(type));
        }
    }

    private static RoutedGradients route(VaeganConfig config) {
        VaeGanNetworks nets = new VaeGanModelFactory(config.model()).build(7);
        Inputs in = Inputs.of(config, 1, DataType.FLOAT);
        return new GradientRouter(nets, config.loss()).route(in.x, in.noise, in.prior);
    }

    @Test
    void discriminatorNeverSeesLLike() {
        RoutedGradients small = route(TestConfigs.tiny("loss.gamma=1e-6"));
        RoutedGradients large = route(TestConfigs.tiny("loss.gamma=10"));
        assertEquals(small.gradient(Part.DIS_HEAD), large.gradient(Part.DIS_HEAD));
        assertEquals(small.gradient(Part.DIS_FEATURES), large.gradient(Part.DIS_FEATURES));
        // The decoder's does see gamma: the comparison above could have failed.
        assertNotEquals(small.gradient(Part.DECODER), large.gradient(Part.DECODER));
        // ...and the encoder's does not: it minimises L_prior + L_llike, whatever gamma is.
        assertEquals(small.gradient(Part.ENCODER), large.gradient(Part.ENCODER));
    }

    @Test
    void encoderNeverSeesLGan() {
        RoutedGradients saturating = route(TestConfigs.tiny("loss.generator=saturating"));
        RoutedGradients nonSaturating = route(TestConfigs.tiny("loss.generator=non-saturating"));
        RoutedGradients withoutRecon = route(TestConfigs.tiny("loss.generator=non-saturating", "loss.gan-reconstructions=false"));
        RoutedGradients otherEps = route(TestConfigs.tiny("loss.log-epsilon=0"));
        assertEquals(saturating.gradient(Part.ENCODER), nonSaturating.gradient(Part.ENCODER));
        assertEquals(saturating.gradient(Part.ENCODER), withoutRecon.gradient(Part.ENCODER));
        assertEquals(saturating.gradient(Part.ENCODER), otherEps.gradient(Part.ENCODER));
        assertNotEquals(saturating.gradient(Part.DECODER), nonSaturating.gradient(Part.DECODER));
        assertNotEquals(nonSaturating.gradient(Part.DIS_HEAD), withoutRecon.gradient(Part.DIS_HEAD));
    }

    @Test
    void variantsTrainOnlyTheirNetworks() {
        RoutedGradients vae = route(TestConfigs.tiny("model.variant=vae"));
        assertNull(vae.gradient(Part.DIS_FEATURES));
        assertNull(vae.gradient(Part.DIS_HEAD));
        assertEquals(0.0, vae.losses().gan());
        assertTrue(vae.losses().pixel() > 0);
        RoutedGradients gan = route(TestConfigs.tiny("model.variant=gan"));
        assertNull(gan.gradient(Part.ENCODER));
        assertNotNull(gan.gradient(Part.DECODER));
        assertEquals(0.0, gan.losses().llike());
        // vae-disl: the discriminator trains, but the decoder gets no L_GAN.
        RoutedGradients disl = route(TestConfigs.tiny("model.variant=vae-disl"));
        RoutedGradients dislSaturating = route(TestConfigs.tiny("model.variant=vae-disl", "loss.generator=saturating"));
        assertNotNull(disl.gradient(Part.DIS_HEAD));
        assertEquals(disl.gradient(Part.DECODER), dislSaturating.gradient(Part.DECODER));
        assertEquals(0.0, disl.losses().generator());
    }

    /** The objective each group minimises, from a step's reported (per-image) losses. */
    private static ToDoubleFunction<StepLosses> objective(VaeganConfig config, Part part) {
        int b = config.train().batchSize();
        ModelVariant v = config.model().variant();
        double w = GradientRouter.pixelWeight(v, config.loss());
        double gamma = config.loss().gamma();
        return switch (part) {
            case ENCODER -> l -> b * (l.prior() + l.llike() + w * l.pixel());
            case DECODER -> l -> b * (gamma * l.llike() + w * l.pixel()) + (v.adversarialDecoder() ? l.generator() : 0.0);
            case DIS_FEATURES, DIS_HEAD -> StepLosses::gan;
        };
    }

    private static VaeganConfig checkConfig(ModelVariant variant) {
        // gamma 0.5 and a pixel term: every term of every objective carries weight.
        // Dis_l after a batch norm: the real rows' features then depend on the decoded rows.
        return TestConfigs.tiny("model.variant=" + variant.key(), "loss.gamma=0.5", "loss.pixel-weight=0.25",
                "model.dis-l-layer=3");
    }

    /**
     * Double precision: g . d against the central difference of the group's objective along
     * random unit directions d over its trainable parameters (batch-norm running statistics are
     * not trained and do not change a training-mode pass).
     */
    @ParameterizedTest
    @EnumSource(ModelVariant.class)
    void eachGroupGradientIsTheDerivativeOfItsOwnObjective(ModelVariant variant) {
        VaeganConfig config = checkConfig(variant);
        VaeGanNetworks nets = new VaeGanModelFactory(config.model(), DataType.DOUBLE).build(11);
        Inputs in = Inputs.of(config, 5, DataType.DOUBLE);
        GradientRouter router = new GradientRouter(nets, config.loss());
        RoutedGradients routed = router.route(in.x, in.noise, in.prior);
        int checked = 0;
        for (Part part : Part.values()) {
            INDArray g = routed.gradient(part);
            if (g == null) {
                continue;
            }
            ToDoubleFunction<StepLosses> objective = objective(config, part);
            INDArray trainable = nets.runningStatisticsMask(part).rsub(1.0);
            for (int direction = 0; direction < 2; direction++) {
                // One direction along the gradient itself, one random: both must agree.
                INDArray d = direction == 0 ? g.mul(trainable) : Nd4j.randn(DataType.DOUBLE, g.length()).muli(trainable);
                d.divi(d.norm2Number().doubleValue());
                double analytic = g.mul(d).sumNumber().doubleValue();
                INDArray params = nets.params(part);
                INDArray original = params.dup();
                // Small enough that a step rarely crosses a ReLU kink (those make the central difference wrong).
                double h = 1e-7;
                params.addi(d.mul(h));
                double plus = objective.applyAsDouble(router.route(in.x, in.noise, in.prior).losses());
                params.assign(original).subi(d.mul(h));
                double minus = objective.applyAsDouble(router.route(in.x, in.noise, in.prior).losses());
                params.assign(original);
                double numeric = (plus - minus) / (2 * h);
                double scale = Math.max(Math.abs(numeric), 1e-3 * g.norm2Number().doubleValue());
                assertEquals(numeric, analytic, 1e-3 * scale,
                        variant.key() + " " + part + " direction " + direction + ": analytic " + analytic + " vs numeric " + numeric);
                checked++;
            }
        }
        assertTrue(checked >= 4, "checked only " + checked + " directions");
    }

    /** Encoder and decoder forwards run again before their backward give the gradients of ones kept from the start. */
    @ParameterizedTest
    @EnumSource(ModelVariant.class)
    void recomputedForwardGivesTheSameGradients(ModelVariant variant) {
        VaeganConfig config = checkConfig(variant);
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            VaeGanNetworks nets = new VaeGanModelFactory(config.model(), type).build(17);
            Inputs in = Inputs.of(config, 3, type);
            RoutedGradients kept = new GradientRouter(nets, config.loss(), StepPhases.NONE, false).route(in.x, in.noise, in.prior);
            int[] phases = new int[1];
            RoutedGradients recomputed = new GradientRouter(nets, config.loss(), phase -> phases[0]++, true).route(in.x, in.noise, in.prior);
            assertTrue(phases[0] > 0, "no phase ended");
            assertEquals(kept.losses(), recomputed.losses(), variant.key() + " " + type);
            for (Part part : Part.values()) {
                assertEquals(kept.gradient(part), recomputed.gradient(part), variant.key() + " " + type + " " + part);
            }
        }
    }

    /** Float: the router's shared passes give what separate, obvious backward chains give. */
    @ParameterizedTest
    @EnumSource(ModelVariant.class)
    void routedGradientsEqualThePlainReference(ModelVariant variant) {
        VaeganConfig config = checkConfig(variant);
        VaeGanNetworks nets = new VaeGanModelFactory(config.model()).build(13);
        Inputs in = Inputs.of(config, 9, DataType.FLOAT);
        RoutedGradients routed = new GradientRouter(nets, config.loss()).route(in.x, in.noise, in.prior);
        ReferenceGradients reference = new ReferenceGradients(nets, config.loss(), in.x, in.noise, in.prior);
        for (Part part : Part.values()) {
            INDArray expected = reference.gradient(part);
            INDArray actual = routed.gradient(part);
            if (expected == null) {
                assertNull(actual, variant.key() + " " + part);
                continue;
            }
            double norm = expected.norm2Number().doubleValue();
            assertTrue(norm > 0, variant.key() + " " + part + " has a zero reference gradient");
            double relative = actual.sub(expected).norm2Number().doubleValue() / norm;
            assertTrue(relative <= 1e-5, variant.key() + " " + part + ": relative difference " + relative);
        }
    }

    @Test
    void runningStatisticsMaskCoversOnlyBatchNormStatistics() {
        VaeGanNetworks nets = new VaeGanModelFactory(TestConfigs.tiny().model()).build(1);
        // Encoder of the tiny model: BN after conv(4), conv(6) and fc(8): 2 statistics vectors each.
        assertEquals(2 * (4 + 6 + 8), nets.runningStatisticsMask(Part.ENCODER).sumNumber().intValue());
        assertEquals(nets.numParams(Part.ENCODER), nets.runningStatisticsMask(Part.ENCODER).length());
        // Behaviour, not layout: the masked entries change inference (running statistics) but
        // not a training-mode pass (batch statistics).
        INDArray mask = nets.runningStatisticsMask(Part.ENCODER);
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 1, 8, 8);
        INDArray training = nets.forward(Part.ENCODER, x).dup();
        INDArray inference = nets.infer(Part.ENCODER, x).dup();
        nets.params(Part.ENCODER).addi(mask.mul(0.5));
        assertEquals(training, nets.forward(Part.ENCODER, x));
        assertNotEquals(inference, nets.infer(Part.ENCODER, x));
    }

    @Test
    void weightMaskCoversConvolutionAndDenseWeightsOnly() {
        VaeGanNetworks nets = new VaeGanModelFactory(TestConfigs.tiny().model()).build(1);
        // Tiny encoder: conv 1->4 (5x5), conv 4->6 (5x5), fc 6*2*2->8, fc 8->2*4 (the last has a bias).
        long weights = 25L * 1 * 4 + 25L * 4 * 6 + 24L * 8 + 8L * 8;
        assertEquals(weights, nets.weightMask(Part.ENCODER).sumNumber().longValue());
        assertEquals(0.0, nets.weightMask(Part.ENCODER).mul(nets.runningStatisticsMask(Part.ENCODER)).sumNumber().doubleValue());
    }
}
