package org.vaegan.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaegan.core.config.ConfigLoader;
import org.vaegan.core.config.InvalidConfigException;
import org.vaegan.core.config.LossConfig;
import org.vaegan.core.config.Redaction;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.PreparedData;
import org.vaegan.core.io.CheckpointCompatibility;
import org.vaegan.core.io.CheckpointStore;
import org.vaegan.core.io.MetricsLog;
import org.vaegan.core.io.ModelPathException;
import org.vaegan.core.io.ModelSource;
import org.vaegan.core.io.NativeAllocator;
import org.vaegan.core.io.ProcessMemory;
import org.vaegan.core.io.RoundCheckpointer;
import org.vaegan.core.io.RunFiles;
import org.vaegan.core.io.RunLayout;
import org.vaegan.core.io.SampleRenderer;
import org.vaegan.core.io.TrainedModel;
import org.vaegan.core.io.UnusableCheckpointException;
import org.vaegan.core.io.WarmStart;
import org.vaegan.core.report.RunReport;
import org.vaegan.core.state.ModelState;
import org.vaegan.core.train.PartialUpdate;
import org.vaegan.core.train.Replica;
import org.vaegan.core.train.StepLosses;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
    public record Summary(RunLayout layout, ModelState finalState, long roundsTrained, double wallSeconds,
                          double imagesPerSecond, long peakRssMiB) {
    }

    public Summary run(JavaSparkContext sc) throws IOException {
        long began = System.nanoTime();
        RunLayout layout = new RunLayout(config.output().dir(), config.output().runName(), sc.hadoopConfiguration());
        layout.fs().mkdirs(layout.root());
        LOG.info("run folder {}", layout.root());
        LOG.info("native allocator of the driver: {}", NativeAllocator.describe());
        JsonNode configJson = JSON.readTree(loaded.renderJson());
        CheckpointStore checkpoints = new CheckpointStore(layout);
        Replica driverReplica = new Replica(config);
        // Before the data is prepared: a foreign checkpoint is refused at once.
        Start start = startingPoint(layout, checkpoints, driverReplica, configJson, sc.hadoopConfiguration());
        int rounds = config.train().rounds();
        if (start.round() >= rounds) {
            LOG.info("{} already holds round {} of vaegan.train.rounds = {}: nothing to train (raise train.rounds to continue)",
                    layout.root(), start.round(), rounds);
            return new Summary(layout, start.state(), 0, seconds(began), 0, ProcessMemory.peakRssMiB());
        }
        // Before the data too: a round's updates the driver may not receive would fail the first round.
        ResultSizeBudget.check(sc.getConf(), config.spark().partitions(), config.spark().treeDepth(), start.state().sizeBytes());
        PartitionedData data = PartitionedData.prepare(sc, config);
        JsonNode dataNode = describeData(data.prepared());
        start.warnIfDataChanged(dataNode);
        writeRunJson(layout, sc.sc(), configJson, dataNode, start.round());

        ModelState state = start.state();
        SampleRenderer samples = new SampleRenderer(config, data.sampleOriginals());
        MetricsLog metrics = start.round() > 0 ? MetricsLog.continuing(layout, start.round()) : new MetricsLog(layout);

        long totalImages = start.images();
        long imagesThisRun = 0;
        double trainSeconds = 0;
        double stateMiB = state.sizeBytes() / (double) (1 << 20);
        LOG.info(String.format(Locale.ROOT, "model state (parameters, RMSProp state%s): %.1f MiB per direction per partition",
                config.model().decoderEma() ? ", decoder EMA" : "", stateMiB));
        // The equilibrium gate is decided here, from the previous round's scores pooled over all
        // partitions, so every replica takes the same decision in every step of a round.
        LossConfig.Decision gateDecision = start.gate();
        RoundProgressLine progressLine = new RoundProgressLine(config.model().variant(), config.loss());
        try (RoundCheckpointer checkpointer = new RoundCheckpointer(checkpoints, config.output(), rounds, start.round())) {
            for (int round = (int) start.round() + 1; round <= rounds; round++) {
                long roundStart = System.nanoTime();
                Broadcast<ModelState> broadcast = sc.broadcast(state);
                PartialUpdate sum;
                try {
                    sum = data.train(broadcast, round, gateDecision)
                            .treeReduce(PartialUpdate::merge, config.spark().treeDepth());
                } catch (Exception e) {
                    // Spark has given up on the round (a SparkException, checked but undeclared by the
                    // Scala API: catching RuntimeException alone missed it): keep what the finished
                    // rounds learned, then fail.
                    keepProgress(checkpointer, round);
                    // The report too: its curves up to the failure are what the user reads first.
                    RunReport.writeQuietly(layout);
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
                // Blocking (Spark's destroy() is not; destroy(boolean) is private[spark] in Scala, public in
                // bytecode): the removal is over when the Broadcast becomes garbage, so ContextCleaner's own
                // removal finds nothing. Overlapping, the two logged a WARN per piece.
                broadcast.destroy(true);
                double roundSeconds = seconds(roundStart);
                trainSeconds += roundSeconds;
                totalImages += (long) sum.weight();
                imagesThisRun += (long) sum.weight();

                StepLosses l = sum.meanLosses();
                double learningRate = config.optimizer().learningRate(round - 1, rounds);
                LossConfig.Decision roundDecision = gateDecision;
                if (sum.steps() > 0) {
                    gateDecision = driverReplica.gateDecision(l);
                }
                double imagesPerSecond = sum.weight() / roundSeconds;
                LOG.info(progressLine.format(new RoundProgressLine.Round(round, rounds, state.step(), imagesPerSecond,
                        learningRate, l, roundDecision, roundSeconds, sum.minComputeSeconds(), sum.maxComputeSeconds(),
                        sum.skippedSteps())));

                // Sample grids first, so the metrics line can say how long they took.
                long samplesStart = System.nanoTime();
                boolean drawSamples = round == rounds || round % config.output().sampleEveryRounds() == 0;
                if (drawSamples) {
                    driverReplica.load(state);
                    RunFiles.writeAtomically(layout.fs(), layout.samples(round), samples.render(driverReplica));
                }
                double samplesSeconds = drawSamples ? seconds(samplesStart) : 0;

                ObjectNode line = metricsLine(metrics, round, state, totalImages, imagesPerSecond, learningRate, l, sum,
                        roundDecision, new RoundTimes(roundSeconds, averageSeconds, samplesSeconds), stateMiB);
                metrics.append(line);

                Path written = checkpointer.completed(new CheckpointStore.Checkpoint(round, state,
                        new CheckpointStore.Progress(totalImages, gateDecision, configJson, dataNode, line)));
                if (written != null) {
                    LOG.info("checkpoint {}", written);
                }
                // The report only after rounds that leave pictures or a checkpoint: rewriting it
                // costs a read of the run folder, kept off most rounds.
                if (drawSamples || written != null) {
                    RunReport.writeQuietly(layout);
                }
            }
        }
        data.release();
        double wall = seconds(began);
        Summary summary = new Summary(layout, state, rounds - start.round(), wall, imagesThisRun / trainSeconds,
                ProcessMemory.peakRssMiB());
        LOG.info(String.format(Locale.ROOT, "done: %d rounds, %d images in %.1fs (%.1f images/s while training), peak RSS %d MiB, output %s",
                rounds - start.round(), imagesThisRun, wall, summary.imagesPerSecond(), summary.peakRssMiB(), layout.root()));
        return summary;
    }

    /** A round's wall-clock split measured on the driver (seconds). */
    private record RoundTimes(double round, double average, double samples) {
    }

    private ObjectNode metricsLine(MetricsLog metrics, int round, ModelState state, long totalImages, double imagesPerSecond,
                                   double learningRate, StepLosses l, PartialUpdate sum, LossConfig.Decision roundDecision,
                                   RoundTimes times, double stateMiB) {
        double roundSeconds = times.round();
        double averageSeconds = times.average();
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
        // Of which: the longest wait of a task for the broadcast state (fetch + deserialize).
        time.put("broadcast_fetch_max", sum.maxStartFetchSeconds());
        // Drawing and writing the sample grid, after the round (not part of "round").
        time.put("samples", times.samples());
        ObjectNode traffic = line.putObject("traffic_mib");
        // Payload sizes: the broadcast state once per executor, one state per partition back.
        traffic.put("broadcast_state", stateMiB);
        traffic.put("partition_results", stateMiB * config.spark().partitions());
        ObjectNode memory = line.putObject("driver_memory_mib");
        memory.put("rss", ProcessMemory.rssMiB());
        memory.put("peak_rss", ProcessMemory.peakRssMiB());
        memory.put("nd4j_off_heap", ProcessMemory.offHeapMiB());
        memory.put("heap_committed", ProcessMemory.heapCommittedMiB());
        ObjectNode executors = line.putObject("executor_memory_mib");
        // In local mode the executors are the driver's JVM: the same figures.
        executors.put("rss_max", sum.maxExecutorRssMiB());
        executors.put("peak_rss_max", sum.maxExecutorPeakRssMiB());
        LOG.debug("memory: {}", ProcessMemory.describe());
        return line;
    }

    /** Where a run starts: round 0 from fresh weights, or after the newest checkpoint that verifies. */
    private record Start(long round, ModelState state, long images, LossConfig.Decision gate, JsonNode data) {
        void warnIfDataChanged(JsonNode now) {
            JsonNode then = data == null ? null : data.get("fingerprint");
            JsonNode current = now.get("fingerprint");
            if (then != null && current != null && !then.equals(current)) {
                LOG.warn("the data changed since the checkpoint of round {}: fingerprint then {}, now {}; training goes on with the new data",
                        round, then, current);
            }
        }
    }

    private Start startingPoint(RunLayout layout, CheckpointStore checkpoints, Replica fresh, JsonNode configJson,
                                Configuration hadoop) throws IOException {
        Optional<CheckpointStore.Checkpoint> newest = checkpoints.readNewestValid();
        if (newest.isEmpty()) {
            if (!checkpoints.roundFolders().isEmpty()) {
                // Starting afresh would bury them: the user decides.
                throw new UnusableCheckpointException("no checkpoint in " + layout.checkpoints() + " verifies (see the warnings"
                        + " above); move them away to start this run afresh, or use another vaegan.run.name");
            }
            if (config.train().resume()) {
                throw new InvalidConfigException("vaegan.train.resume", "nothing to resume: no checkpoint in " + layout.checkpoints());
            }
            if (config.init().warmStart()) {
                TrainedModel model;
                try {
                    model = new ModelSource(hadoop).load(config.init().from());
                } catch (ModelPathException e) {
                    throw new InvalidConfigException("vaegan.init.from", e.getMessage());
                }
                LOG.info("warm start from {} (round {} of its run; RMSProp state {})", model.checkpoint(), model.round(),
                        config.init().optimizerState() ? "taken" : "afresh");
                return new Start(0, WarmStart.state(model, fresh.snapshot(), configJson, config.init().optimizerState()),
                        0, LossConfig.Decision.BOTH, null);
            }
            return new Start(0, fresh.snapshot(), 0, LossConfig.Decision.BOTH, null);
        }
        CheckpointStore.Checkpoint c = newest.get();
        CheckpointCompatibility.check(layout.checkpoint(c.round()), c, fresh.snapshot(), configJson);
        LOG.info("resuming from {} (round {}, step {}, {} images seen)", layout.checkpoint(c.round()), c.round(),
                c.state().step(), c.progress().images());
        return new Start(c.round(), c.state(), c.progress().images(), c.progress().nextGate(), c.progress().data());
    }

    private static void keepProgress(RoundCheckpointer checkpointer, int failedRound) {
        try {
            Path written = checkpointer.keepProgress();
            LOG.error("round {} failed; {}", failedRound,
                    written != null ? "checkpoint of the last complete round: " + written : "the last complete round is already checkpointed");
        } catch (IOException | RuntimeException e) {
            LOG.error("round {} failed and the checkpoint of the last complete round could not be written either", failedRound, e);
        }
    }

    private JsonNode describeData(PreparedData prepared) {
        ObjectNode dataNode = JSON.createObjectNode();
        if (prepared != null) {
            prepared.describe(dataNode);
        } else {
            dataNode.put("source", config.data().source());
        }
        return dataNode;
    }

    private void writeRunJson(RunLayout layout, SparkContext sc, JsonNode configJson, JsonNode dataNode, long resumedFrom)
            throws IOException {
        ObjectNode run = JSON.createObjectNode();
        run.put("name", config.output().runName());
        run.put("started", Instant.now().toString());
        if (resumedFrom > 0) {
            run.put("resumed_from_round", resumedFrom);
        }
        run.put("spark_app_id", sc.applicationId());
        run.put("spark_master", sc.master());
        // The settings a cluster run was given (memory, executors, GPUs), credentials redacted.
        ObjectNode sparkConf = run.putObject("spark_conf");
        Map<String, String> settings = new HashMap<>();
        for (scala.Tuple2<String, String> entry : sc.getConf().getAll()) {
            settings.put(entry._1(), entry._2());
        }
        Redaction.settings(settings).forEach(sparkConf::put);
        ObjectNode versions = run.putObject("versions");
        versions.put("vaegan", String.valueOf(TrainDriver.class.getPackage().getImplementationVersion()));
        versions.put("spark", sc.version());
        versions.put("java", System.getProperty("java.version"));
        run.set("config", configJson);
        run.set("data", dataNode);
        RunFiles.writeAtomically(layout.fs(), layout.runJson(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(run));
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
