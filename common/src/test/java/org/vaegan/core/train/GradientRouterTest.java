package org.vaegan.core.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.Shard;
import org.vaegan.core.model.Part;
import org.vaegan.core.model.VaeGanModelFactory;
import org.vaegan.core.model.VaeGanNetworks;

import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which objective reaches which network (the paper's Algorithm 1). */
class GradientRouterTest {

    private static RoutedGradients route(VaeganConfig config) {
        VaeGanNetworks nets = new VaeGanModelFactory(config.model()).build(7);
        Shard shard = Shard.synthetic(0, 24, config.model().channels(), config.model().imageSize(), 3);
        StepDraws draws = StepDraws.of(1, 0, 0, 0, shard.images(), config.train().batchSize(), config.model().latent());
        return new GradientRouter(nets, config.loss()).route(shard.batch(draws.rows()), draws.noise(), draws.prior());
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
        assertEquals(saturating.gradient(Part.ENCODER), nonSaturating.gradient(Part.ENCODER));
        assertEquals(saturating.gradient(Part.ENCODER), withoutRecon.gradient(Part.ENCODER));
        assertNotEquals(saturating.gradient(Part.DECODER), nonSaturating.gradient(Part.DECODER));
        assertNotEquals(nonSaturating.gradient(Part.DIS_HEAD), withoutRecon.gradient(Part.DIS_HEAD));
    }

    @Test
    void eachGroupGradientIsTheDerivativeOfItsOwnObjective() {
        VaeganConfig config = TestConfigs.tiny("loss.gamma=0.5");
        int b = config.train().batchSize();
        checkDirectionalDerivative(config, Part.ENCODER, l -> b * (l.prior() + l.llike()));
        checkDirectionalDerivative(config, Part.DECODER, l -> 0.5 * b * l.llike() + l.generator());
        checkDirectionalDerivative(config, Part.DIS_HEAD, StepLosses::gan);
        checkDirectionalDerivative(config, Part.DIS_FEATURES, StepLosses::gan);
    }

    /**
     * Compares g . d with the central difference of the objective along d = g / |g| (batch-norm
     * running statistics excluded: they are not trained and do not change a training-mode pass).
     */
    private static void checkDirectionalDerivative(VaeganConfig config, Part part, ToDoubleFunction<StepLosses> objective) {
        VaeGanNetworks nets = new VaeGanModelFactory(config.model()).build(11);
        Shard shard = Shard.synthetic(0, 24, config.model().channels(), config.model().imageSize(), 5);
        StepDraws draws = StepDraws.of(2, 0, 0, 0, shard.images(), config.train().batchSize(), config.model().latent());
        INDArray x = shard.batch(draws.rows());
        GradientRouter router = new GradientRouter(nets, config.loss());
        INDArray g = router.route(x, draws.noise(), draws.prior()).gradient(part);
        INDArray trainable = nets.runningStatisticsMask(part).rsub(1.0);
        INDArray d = g.mul(trainable);
        double norm = d.norm2Number().doubleValue();
        assertTrue(norm > 0, part + " has a zero gradient");
        d.divi(norm);
        double analytic = g.mul(d).sumNumber().doubleValue();
        INDArray params = nets.params(part);
        INDArray original = params.dup();
        double h = 1e-2;
        params.addi(d.mul(h));
        double plus = objective.applyAsDouble(router.route(x, draws.noise(), draws.prior()).losses());
        params.assign(original).subi(d.mul(h));
        double minus = objective.applyAsDouble(router.route(x, draws.noise(), draws.prior()).losses());
        params.assign(original);
        double numeric = (plus - minus) / (2 * h);
        assertEquals(analytic, numeric, 0.05 * Math.abs(analytic), part + ": analytic " + analytic + " vs numeric " + numeric);
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
        INDArray x = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 6, 1, 8, 8);
        INDArray training = nets.forward(Part.ENCODER, x).dup();
        INDArray inference = nets.infer(Part.ENCODER, x).dup();
        nets.params(Part.ENCODER).addi(mask.mul(0.5));
        assertEquals(training, nets.forward(Part.ENCODER, x));
        assertNotEquals(inference, nets.infer(Part.ENCODER, x));
    }
}
