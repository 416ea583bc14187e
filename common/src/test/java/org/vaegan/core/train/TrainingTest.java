package org.vaegan.core.train;

import org.junit.jupiter.api.Test;
import org.vaegan.core.config.ConfigLoader;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.Shard;
import org.vaegan.core.model.Part;
import org.vaegan.core.state.ModelState;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A few rounds of the real training loop, two partitions averaged in one JVM, on synthetic shapes. */
class TrainingTest {
    @Test
    void fewRoundsLowerLLikeAndKeepLossesFinite() {
        VaeganConfig config = ConfigLoader.load(null, List.of(
                "model.image-size=16", "model.latent=16",
                "model.encoder-widths=[16, 32]", "model.encoder-fc=64",
                "model.decoder-widths=[32, 16]",
                "model.discriminator-fc=32", "model.dis-l-layer=2",
                "train.batch-size=16", "spark.averaging.steps=4", "train.gc-every-steps=0",
                "data.synthetic.images-per-partition=64", "model.discriminator-widths=[16, 32, 32]",
                // Hold Dis_l fixed (the gate never lets the discriminator update): L_llike is then
                // measured in the same feature space every round.
                "loss.equilibrium-gate.target=100", "loss.equilibrium-gate.margin=0",
                // Summed L_llike of this small Dis_l is ~1000x smaller than the 32x32 model's.
                "loss.gamma=1", "optimizer.learning-rate=1e-3")).config();
        Replica replica = new Replica(config);
        PartitionTrainer trainer = new PartitionTrainer(config);
        Shard[] shards = {Shard.synthetic(0, 64, 3, 16, 1), Shard.synthetic(1, 64, 3, 16, 1)};
        ModelState state = replica.snapshot();
        float[] initialDecoder = state.params(Part.DECODER).clone();
        List<Double> llike = new ArrayList<>();
        List<StepLosses> all = new ArrayList<>();
        for (int round = 1; round <= 8; round++) {
            PartialUpdate sum = trainer.train(replica, state, shards[0], round).merge(trainer.train(replica, state, shards[1], round));
            StepLosses l = sum.meanLosses();
            assertTrue(l.allFinite(), "round " + round + ": " + l);
            assertTrue(sum.skippedSteps() == 0, "non-finite steps in round " + round);
            llike.add(l.llike());
            all.add(l);
            state = sum.average(state.step() + config.spark().averagingSteps());
        }
        assertFalse(java.util.Arrays.equals(initialDecoder, state.params(Part.DECODER)), "decoder did not train");
        double first = (llike.get(0) + llike.get(1)) / 2;
        double last = (llike.get(6) + llike.get(7)) / 2;
        assertTrue(last < 0.85 * first, "L_llike per round " + llike + "; losses " + all);
    }
}
