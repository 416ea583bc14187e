package org.vaegan.tests;

import org.apache.hadoop.conf.Configuration;
import org.vaegan.core.io.CheckpointStore;
import org.vaegan.core.io.RunLayout;
import org.vaegan.spark.cli.VaeganMain;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs CLI commands in this JVM (train on a small model, and the others), as a user would from bin/vaegan. */
final class CliRun {
    /** A 16x16 RGB model that trains a step in well under a second, on two local partitions. */
    static final List<String> SMALL_MODEL = List.of(
            "spark.master=local[2]", "spark.partitions=2", "train.batch-size=8",
            "data.synthetic.images-per-partition=32",
            "model.image-size=16", "model.latent=8", "model.encoder-widths=[8, 16]", "model.encoder-fc=32",
            "model.decoder-widths=[16, 8]", "model.discriminator-widths=[8, 16, 16]", "model.discriminator-fc=16",
            "model.dis-l-layer=2");

    final int exitCode;
    final String stdout;
    final String stderr;

    private CliRun(int exitCode, String stdout, String stderr) {
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static CliRun train(List<String> sets) {
        String[] args = new String[1 + 2 * sets.size()];
        args[0] = "train";
        for (int i = 0; i < sets.size(); i++) {
            args[1 + 2 * i] = "--set";
            args[2 + 2 * i] = sets.get(i);
        }
        return run(args);
    }

    /** Any command line, as bin/vaegan would pass it. */
    static CliRun run(String... args) {
        System.setProperty("spark.ui.enabled", "false");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = VaeganMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static List<String> with(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    static CheckpointStore.Checkpoint latestCheckpoint(Path outputDir, String runName) throws IOException {
        return new CheckpointStore(new RunLayout(outputDir.toString(), runName, new Configuration())).readLatest();
    }
}
