package org.vaegan.core.config;

import java.io.Serializable;

/** Where training images come from (keys under vaegan.data). */
public record DataConfig(String source, int syntheticImagesPerPartition) implements Serializable {
    public static final String SYNTHETIC = "synthetic";

    public DataConfig {
        if (!SYNTHETIC.equals(source)) {
            throw new InvalidConfigException("vaegan.data.source", "must be \"synthetic\" (the only source so far), got \"" + source + "\"");
        }
        Checks.positive("vaegan.data.synthetic.images-per-partition", syntheticImagesPerPartition);
    }
}
