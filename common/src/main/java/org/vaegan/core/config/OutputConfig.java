package org.vaegan.core.config;

import java.io.Serializable;

/** Where a run writes and how often (keys under vaegan.output, vaegan.checkpoint, vaegan.run). */
public record OutputConfig(String runName, String dir, int sampleEveryRounds, int gridSize, int checkpointEveryRounds)
        implements Serializable {
    public OutputConfig {
        Checks.notBlank("vaegan.run.name", runName);
        if (runName.contains("/") || runName.contains("\\") || runName.equals(".") || runName.equals("..")) {
            throw new InvalidConfigException("vaegan.run.name", "must be a plain folder name without '/', got \"" + runName + "\"");
        }
        Checks.notBlank("vaegan.output.dir", dir);
        Checks.positive("vaegan.output.sample-every-rounds", sampleEveryRounds);
        Checks.positive("vaegan.output.grid-size", gridSize);
        Checks.nonNegative("vaegan.checkpoint.every-rounds", checkpointEveryRounds);
    }
}
