package org.vaegan.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaegan.core.config.ConfigLoader;
import org.vaegan.core.config.LossConfig;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.PreparedData;
import org.vaegan.core.io.CheckpointStore;
import org.vaegan.core.io.MetricsLog;
import org.vaegan.core.io.ProcessMemory;
import org.vaegan.core.io.RunFiles;
import org.vaegan.core.io.RunLayout;
import org.vaegan.core.io.SampleRenderer;
import org.vaegan.core.state.ModelState;
import org.vaegan.core.train.PartialUpdate;
import org.vaegan.core.train.Replica;
import org.vaegan.core.train.StepLosses;

import java.io.IOException;
import java.time.Instant;
import java.util.Locale;

/**
 * The driver loop: shards the data across partitions, then every round broadcasts the model
 * state, lets each partition train on its shard, sums the partitions' weighted updates with a
 * tree reduction and installs their average. It only distributes: the training itself is
 * {@link org.vaegan.core.train.PartitionTrainer}.
 */
public final class TrainDriver {
    private static final Logger LOG = LoggerFactory.getLogger(TrainDriver.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConfigLoader.Loaded loaded;
    private final VaeganConfig config;

    public TrainDriver(ConfigLoader.Loaded loaded) {
        this.loaded = loaded;
        this.config = loaded.config();
    }

    /** What a finished run reports. */
    public record Summary(RunLayout layout, ModelState finalState, double wallSeconds, double imagesPerSecond,
                          long peakRssMiB) {
    }

    public Summary run(JavaSparkContext sc) throws IOException {
        long began = System.nanoTime();
        RunLayout layout = new RunLayout(config.output().dir(), config.output().runName(), sc.hadoopConfiguration());
        layout.fs().mkdirs(layout.root());
        LOG.info("run folder {}", layout.root());
        PartitionedData data = PartitionedData.prepare(sc, config);
        writeRunJson(layout, sc.sc(), data.prepared());

        Replica driverReplica = new Replica(config);
        ModelState state = driverReplica.snapshot();
        SampleRenderer samples = new SampleRenderer(config, data.sampleOriginals());
        MetricsLog metrics = new MetricsLog(layout);
        CheckpointStore checkpoints = new CheckpointStore(layout);

        long totalImages = 0;
        double trainSeconds = 0;
        double stateMiB = state.sizeBytes() / (double) (1 << 20);
        LOG.info(String.format(Locale.ROOT, "model state (parameters, RMSProp state%s): %.1f MiB per direction per partition",
                config.model().decoderEma() ? ", decoder EMA" : "", stateMiB));
        int rounds = config.train().rounds();
        // The equilibrium gate is decided here, from the previous round's scores pooled over all
        // partitions, so every replica takes the same decision in every step of a round.
        LossConfig.Decision gateDecision = LossConfig.Decision.BOTH;
        for (int round = 1; round <= rounds; round++) {
            long roundStart = System.nanoTime();
            Broadcast<ModelState> start = sc.broadcast(state);
            PartialUpdate sum;
            try {
                sum = data.train(start, round, gateDecision)
                        .treeReduce(PartialUpdate::merge, config.spark().treeDepth());
            } catch (Exception e) {
                // Spark has given up on the round (a SparkException, checked but undeclared by the
                // Scala API: catching RuntimeException alone missed it): keep what the finished
                // rounds learned, then fail.
                keepProgress(checkpoints, round - 1, state);
                throw e;
            }
            long averageStart = System.nanoTime();
            if (sum.weight() > 0) {
                state = sum.average(state.step() + config.spark().averagingSteps());
            } else {
                // Every step of every partition was skipped (non-finite): nothing to average.
                LOG.warn("round {}: every step was skipped (non-finite losses or gradients); parameters unchanged", round);
            }
            double averageSeconds = seconds(averageStart);
            start.destroy();
            double roundSeconds = seconds(roundStart);
            trainSeconds += roundSeconds;
            totalImages += (long) sum.weight();

            StepLosses l = sum.meanLosses();
            double learningRate = config.optimizer().learningRate(round - 1, rounds);
            LossConfig.Decision roundDecision = gateDecision;
            if (sum.steps() > 0) {
                gateDecision = driverReplica.gateDecision(l);
            }
            double imagesPerSecond = sum.weight() / roundSeconds;
            LOG.info(String.format(Locale.ROOT,
                    "round %d/%d | step %d | %.1f images/s | lr %.2e | prior %.3f llike %.3f gan %.4f gen %.4f | D real %.3f fake %.3f | gate dis %s dec %s | %.1fs (compute %.1f-%.1fs)%s",
                    round, rounds, state.step(), imagesPerSecond,
                    learningRate, l.prior(), l.llike(), l.gan(), l.generator(),
                    l.realScore(), l.fakeScore(), roundDecision.updateDiscriminator() ? "on" : "held",
                    roundDecision.updateDecoder() ? "on" : "held", roundSeconds, sum.minComputeSeconds(), sum.maxComputeSeconds(),
                    sum.skippedSteps() > 0 ? " | skipped non-finite steps " + sum.skippedSteps() : ""));

            ObjectNode line = metrics.newLine();
            line.put("round", round);
            line.put("step", state.step());
            line.put("images", totalImages);
            line.put("images_per_s", imagesPerSecond);
            line.put("learning_rate", learningRate);
            line.put("l_prior", l.prior());
            line.put("l_llike", l.llike());
            line.put("l_pixel", l.pixel());
            line.put("l_gan", l.gan());
            line.put("l_generator", l.generator());
            line.put("d_real", l.realScore());
            line.put("d_fake", l.fakeScore());
            line.put("skipped_steps", sum.skippedSteps());
            line.put("replicas_built", sum.replicasBuilt());
            ObjectNode gate = line.putObject("gate");
            gate.put("discriminator_updated", roundDecision.updateDiscriminator());
            gate.put("decoder_updated", roundDecision.updateDecoder());
            gate.put("discriminator_skipped", sum.discriminatorSkips());
            gate.put("decoder_skipped", sum.decoderSkips());
            ObjectNode time = line.putObject("time_s");
            time.put("round", roundSeconds);
            time.put("compute_max", sum.maxComputeSeconds());
            time.put("compute_min", sum.minComputeSeconds());
            time.put("straggler_ratio", sum.stragglerRatio());
            time.put("average", averageSeconds);
            time.put("broadcast_and_aggregate", Math.max(0, roundSeconds - sum.maxComputeSeconds() - averageSeconds));
            ObjectNode traffic = line.putObject("traffic_mib");
            // Payload sizes: the broadcast state once per executor, one state per partition back.
            traffic.put("broadcast_state", stateMiB);
            traffic.put("partition_results", stateMiB * config.spark().partitions());
            ObjectNode memory = line.putObject("driver_memory_mib");
            memory.put("rss", ProcessMemory.rssMiB());
            memory.put("peak_rss", ProcessMemory.peakRssMiB());
            memory.put("nd4j_off_heap", ProcessMemory.offHeapMiB());
            memory.put("heap_committed", ProcessMemory.heapCommittedMiB());
            LOG.debug("memory: {}", ProcessMemory.describe());
            metrics.append(line);

            boolean last = round == rounds;
            if (last || round % config.output().sampleEveryRounds() == 0) {
                driverReplica.load(state);
                RunFiles.writeAtomically(layout.fs(), layout.samples(round), samples.render(driverReplica));
            }
            int every = config.output().checkpointEveryRounds();
            if (last || (every > 0 && round % every == 0)) {
                LOG.info("checkpoint {}", checkpoints.write(round, state));
            }
        }
        data.release();
        double wall = seconds(began);
        Summary summary = new Summary(layout, state, wall, totalImages / trainSeconds, ProcessMemory.peakRssMiB());
        LOG.info(String.format(Locale.ROOT, "done: %d rounds, %d images in %.1fs (%.1f images/s while training), peak RSS %d MiB, output %s",
                rounds, totalImages, wall, summary.imagesPerSecond(), summary.peakRssMiB(), layout.root()));
        return summary;
    }

    private static void keepProgress(CheckpointStore checkpoints, int lastCompleteRound, ModelState state) {
        if (lastCompleteRound < 1) {
            return;
        }
        try {
            LOG.error("round {} failed; checkpoint of round {}: {}", lastCompleteRound + 1, lastCompleteRound,
                    checkpoints.write(lastCompleteRound, state));
        } catch (IOException | RuntimeException e) {
            LOG.error("round {} failed and the checkpoint of round {} could not be written either", lastCompleteRound + 1,
                    lastCompleteRound, e);
        }
    }

    private void writeRunJson(RunLayout layout, SparkContext sc, PreparedData prepared) throws IOException {
        ObjectNode run = JSON.createObjectNode();
        run.put("name", config.output().runName());
        run.put("started", Instant.now().toString());
        run.put("spark_app_id", sc.applicationId());
        run.put("spark_master", sc.master());
        ObjectNode versions = run.putObject("versions");
        versions.put("vaegan", String.valueOf(TrainDriver.class.getPackage().getImplementationVersion()));
        versions.put("spark", sc.version());
        versions.put("java", System.getProperty("java.version"));
        run.set("config", JSON.readTree(loaded.renderJson()));
        ObjectNode dataNode = run.putObject("data");
        if (prepared != null) {
            prepared.describe(dataNode);
        } else {
            dataNode.put("source", config.data().source());
        }
        RunFiles.writeAtomically(layout.fs(), layout.runJson(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(run));
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
