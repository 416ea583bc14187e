package org.vaegan.core.config;

import java.io.Serializable;

/**
 * Warm start of a new run (keys under vaegan.init).
 *
 * @param from           a trained model or checkpoint to start from ("" = random weights)
 * @param optimizerState also take its RMSProp state
 */
public record InitConfig(String from, boolean optimizerState) implements Serializable {
    public InitConfig {
        if (from == null) {
            throw new InvalidConfigException("vaegan.init.from", "must be a path or \"\"");
        }
    }

    public boolean warmStart() {
        return !from.isBlank();
    }
}
