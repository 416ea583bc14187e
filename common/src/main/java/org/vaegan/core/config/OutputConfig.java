package org.vaegan.core.config;

import java.io.Serializable;

/** Where a run writes and how often (keys under vaegan.output, vaegan.checkpoint, vaegan.run). */
public record OutputConfig(String runName, String dir, int sampleEveryRounds, int gridSize, int checkpointEveryRounds,
                           int checkpointKeepLast, String checkpointKeepBestBy)
        implements Serializable {
    /** The metrics.jsonl losses a checkpoint can be kept for (lowest wins). */
    public static final java.util.List<String> BEST_BY = java.util.List.of("l_llike", "l_prior", "l_pixel", "l_gan", "l_generator");

    public OutputConfig {
        Checks.notBlank("vaegan.run.name", runName);
        if (runName.contains("/") || runName.contains("\\") || runName.equals(".") || runName.equals("..")) {
            throw new InvalidConfigException("vaegan.run.name", "must be a plain folder name without '/', got \"" + runName + "\"");
        }
        Checks.notBlank("vaegan.output.dir", dir);
        Checks.positive("vaegan.output.sample-every-rounds", sampleEveryRounds);
        Checks.positive("vaegan.output.grid-size", gridSize);
        Checks.nonNegative("vaegan.checkpoint.every-rounds", checkpointEveryRounds);
        Checks.nonNegative("vaegan.checkpoint.keep-last", checkpointKeepLast);
        if (!checkpointKeepBestBy.isEmpty() && !BEST_BY.contains(checkpointKeepBestBy)) {
            throw new InvalidConfigException("vaegan.checkpoint.keep-best-by", "must be empty or one of " + BEST_BY
                    + " (lower is better), got \"" + checkpointKeepBestBy + "\"");
        }
    }
}
