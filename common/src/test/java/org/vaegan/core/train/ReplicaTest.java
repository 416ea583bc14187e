package org.vaegan.core.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.Shard;
import org.vaegan.core.model.Part;
import org.vaegan.core.state.ModelState;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Steps of one replica: numerical safety, the decoder's moving average, batch-norm inference. */
class ReplicaTest {
    private static StepLosses step(Replica replica, int s) {
        VaeganConfig config = replica.config();
        Shard shard = Shard.synthetic(0, 24, config.model().channels(), config.model().imageSize(), 3);
        StepDraws draws = StepDraws.of(1, 0, 0, s, shard.images(), config.train().batchSize(), config.model().latent());
        return replica.step(shard.batch(draws.rows()), draws.noise(), draws.prior());
    }

    @Test
    void observerHearsEveryPhaseOfAStepInOrder() {
        List<String> phases = new ArrayList<>();
        Replica replica = new Replica(TestConfigs.tiny(), phases::add);
        step(replica, 0);
        assertEquals(List.of(GradientRouter.FORWARD, GradientRouter.DISCRIMINATOR, GradientRouter.ADVERSARIAL,
                GradientRouter.LLIKE, GradientRouter.DECODER_BACKWARD, Replica.LAST_PHASE), phases);
        phases.clear();
        step(new Replica(TestConfigs.tiny("model.variant=gan"), phases::add), 0);
        assertEquals(List.of(GradientRouter.FORWARD, GradientRouter.DISCRIMINATOR, GradientRouter.ADVERSARIAL,
                GradientRouter.DISCRIMINATOR_RELEASED, GradientRouter.DECODER_BACKWARD, Replica.LAST_PHASE), phases);
    }

    @Test
    void nonFiniteStepsAreSkippedCountedAndThenStopTrainingNamingTheLoss() {
        Replica replica = new Replica(TestConfigs.tiny("train.max-bad-steps=3"));
        step(replica, 0);
        assertEquals(1, replica.step());
        // A poisoned decoder: L_prior stays finite, L_llike is the first loss to go bad.
        INDArray decoder = replica.networks().params(Part.DECODER);
        decoder.get(NDArrayIndex.interval(0, 5)).assign(Double.NaN);
        ModelState poisoned = replica.snapshot();

        StepLosses bad = step(replica, 1);
        assertEquals("L_llike", bad.firstNonFinite());
        assertEquals(1, replica.skippedSteps());
        assertEquals(1, replica.step(), "a skipped step must not count as trained");
        assertTrue(poisoned.sameValues(replica.snapshot()), "a skipped step must change nothing");
        step(replica, 2);
        NonFiniteTrainingException stop = assertThrows(NonFiniteTrainingException.class, () -> step(replica, 3));
        assertEquals("L_llike", stop.what());
        assertTrue(stop.getMessage().contains("3 consecutive steps"), stop.getMessage());
        assertEquals(3, replica.skippedSteps());
    }

    @Test
    void aGoodStepResetsTheRunOfBadOnes() {
        Replica replica = new Replica(TestConfigs.tiny("train.max-bad-steps=2"));
        ModelState good = replica.snapshot();
        replica.networks().params(Part.DECODER).get(NDArrayIndex.interval(0, 5)).assign(Double.NaN);
        step(replica, 0);
        replica.load(good);
        step(replica, 1);
        replica.networks().params(Part.DECODER).get(NDArrayIndex.interval(0, 5)).assign(Double.NaN);
        step(replica, 2); // one bad step after a good one: no stop yet
        assertEquals(2, replica.skippedSteps());
    }

    @Test
    void batchNormInferenceUsesRunningStatistics() {
        Replica replica = new Replica(TestConfigs.tiny());
        for (int s = 0; s < 3; s++) {
            step(replica, s);
        }
        INDArray z = Nd4j.randn(DataType.FLOAT, 5, replica.config().model().latent());
        INDArray many = replica.decode(z);
        for (int i = 0; i < 5; i++) {
            INDArray one = replica.decode(z.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()).dup());
            INDArray row = many.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
            assertTrue(one.equalsWithEps(row, 1e-5), "image " + i + " depends on the rest of the batch");
        }
        // ...whereas training mode normalises by the batch: the same image differs.
        INDArray trainingMany = replica.networks().forward(Part.DECODER, z).dup();
        INDArray trainingPair = replica.networks().forward(Part.DECODER, z.get(NDArrayIndex.interval(0, 2), NDArrayIndex.all()).dup());
        assertFalse(trainingPair.get(NDArrayIndex.interval(0, 1)).equalsWithEps(trainingMany.get(NDArrayIndex.interval(0, 1)), 1e-5));
    }

    @Test
    void decoderMovingAverageFollowsTheWeightsAndServesSamples() {
        Replica plain = new Replica(TestConfigs.tiny());
        Replica averaged = new Replica(TestConfigs.tiny("model.decoder-ema-decay=0.5"));
        assertNull(plain.snapshot().decoderEma());
        float[] start = averaged.snapshot().params(Part.DECODER);
        assertArrayEquals(start, averaged.snapshot().decoderEma());
        step(plain, 0);
        step(averaged, 0);
        ModelState after = averaged.snapshot();
        // Same seed and data: the weights train identically; the average sits halfway.
        assertArrayEquals(plain.snapshot().params(Part.DECODER), after.params(Part.DECODER));
        float[] ema = after.decoderEma();
        assertNotNull(ema);
        for (int i = 0; i < ema.length; i += 97) {
            assertEquals(0.5f * start[i] + 0.5f * after.params(Part.DECODER)[i], ema[i], 1e-6f, "entry " + i);
        }
        INDArray z = Nd4j.randn(DataType.FLOAT, 3, plain.config().model().latent());
        assertFalse(plain.decode(z).equalsWithEps(averaged.decode(z), 1e-6), "samples must come from the average");
        // Decoding with the average leaves the live weights alone.
        assertArrayEquals(after.params(Part.DECODER), averaged.snapshot().params(Part.DECODER));
    }

    @Test
    void weightDecayReachesWeightsOnly() {
        // Zero gradient: only weight decay moves parameters, and only the masked ones.
        VaeganConfig config = TestConfigs.tiny("optimizer.weight-decay=0.1");
        Replica replica = new Replica(config);
        INDArray params = replica.networks().params(Part.ENCODER);
        INDArray before = params.dup();
        RmsProp rmsProp = new RmsProp(config.optimizer());
        INDArray weights = replica.networks().weightMask(Part.ENCODER);
        rmsProp.step(params, Nd4j.zerosLike(params), Nd4j.zerosLike(params), new RmsProp.ParameterLayout(
                replica.networks().weightRanges(Part.ENCODER), replica.networks().runningStatisticsRanges(Part.ENCODER)), 1e-3);
        INDArray moved = params.sub(before).neq(0).castTo(DataType.FLOAT);
        // Every weight that is not exactly zero moved; nothing else did.
        INDArray nonZeroWeights = before.neq(0).castTo(DataType.FLOAT).muli(weights);
        assertEquals(nonZeroWeights, moved);
    }
}
