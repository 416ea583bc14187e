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
        return new Path(new Path(root, "samples"), String.format("round-%06d.png", round));
    }
}
