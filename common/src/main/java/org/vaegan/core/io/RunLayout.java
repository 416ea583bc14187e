package org.vaegan.core.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

/** Every path of a run folder, on any Hadoop FileSystem ({@code file:}, {@code hdfs:}, {@code s3a:}, ...). */
public final class RunLayout {
    private final Path root;
    private final FileSystem fs;

    /** The layout of an existing run folder given as one path (e.g. {@code report --run runs/default}). */
    public static RunLayout of(String runDir, Configuration hadoopConf) {
        Path dir = new Path(runDir);
        String parent = dir.getParent() != null ? dir.getParent().toString() : ".";
        return new RunLayout(parent, dir.getName(), hadoopConf);
    }

    public RunLayout(String outputDir, String runName, Configuration hadoopConf) {
        Path dir = new Path(outputDir);
        try {
            URI uri = dir.toUri();
            this.fs = uri.getScheme() == null ? FileSystem.getLocal(hadoopConf) : FileSystem.get(uri, hadoopConf);
            this.root = fs.makeQualified(new Path(dir, runName));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the file system of vaegan.output.dir = " + outputDir, e);
        }
    }

    public FileSystem fs() {
        return fs;
    }

    public Path root() {
        return root;
    }

    public Path runJson() {
        return new Path(root, "run.json");
    }

    public Path metrics() {
        return new Path(root, "metrics.jsonl");
    }

    public Path checkpoints() {
        return new Path(root, "checkpoints");
    }

    public Path checkpoint(long round) {
        return new Path(checkpoints(), String.format("round-%06d", round));
    }

    public Path latestCheckpointPointer() {
        return new Path(checkpoints(), "LATEST");
    }

    public Path samples(long round) {
        return new Path(samplesDir(), String.format("round-%06d.png", round));
    }

    public Path samplesDir() {
        return new Path(root, "samples");
    }

    /** The static HTML report of the run (loss curves, grids, config, timings, evaluations). */
    public Path report() {
        return new Path(root, "report.html");
    }

    /** Figures of {@code evaluate} on this run's checkpoints, one JSON file per evaluated round. */
    public Path evaluationsDir() {
        return new Path(root, "evaluation");
    }

    public Path evaluation(long round) {
        return new Path(evaluationsDir(), String.format("round-%06d.json", round));
    }
}
