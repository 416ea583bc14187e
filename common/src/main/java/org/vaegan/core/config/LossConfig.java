package org.vaegan.core.config;

import java.io.Serializable;

/** Weights and switches of the three losses (keys under vaegan.loss). */
public record LossConfig(double gamma, boolean ganReconstructions, GeneratorLoss generator) implements Serializable {

    /** How the decoder's adversarial term is written. */
    public enum GeneratorLoss {
        /** The paper's minimax form: the decoder minimises log(1 - D(G(z))). */
        SATURATING("saturating"),
        /** The common stable form: the decoder minimises -log D(G(z)). */
        NON_SATURATING("non-saturating");

        private final String key;

        GeneratorLoss(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public static GeneratorLoss parse(String configKey, String value) {
            for (GeneratorLoss g : values()) {
                if (g.key.equals(value)) {
                    return g;
                }
            }
            throw new InvalidConfigException(configKey, "must be \"saturating\" or \"non-saturating\", got \"" + value + "\"");
        }
    }

    public LossConfig {
        Checks.nonNegative("vaegan.loss.gamma", gamma);
        if (generator == null) {
            throw new InvalidConfigException("vaegan.loss.generator", "must be set");
        }
    }
}
