package org.vaegan.core.config;

import java.io.Serializable;

/** Weights and switches of the three losses (keys under vaegan.loss). */
public record LossConfig(double gamma, boolean ganReconstructions, GeneratorLoss generator, EquilibriumGate gate)
        implements Serializable {

    /** The authors' equilibrium gate; see {@code vaegan.loss.equilibrium-gate} in reference.conf. */
    public record EquilibriumGate(boolean enabled, double target, double margin) implements Serializable {
        public EquilibriumGate {
            Checks.positive("vaegan.loss.equilibrium-gate.target", target);
            Checks.nonNegative("vaegan.loss.equilibrium-gate.margin", margin);
        }

        /** Whether the discriminator and the decoder update, given this step's scores. */
        public Decision decide(double realScore, double fakeScore) {
            if (!enabled) {
                return new Decision(true, true);
            }
            boolean dis = !(realScore < target - margin || fakeScore < target - margin);
            boolean dec = !(realScore > target + margin || fakeScore > target + margin);
            return dis || dec ? new Decision(dis, dec) : new Decision(true, true);
        }
    }

    /** Which groups a step updates (the encoder always does). */
    public record Decision(boolean updateDiscriminator, boolean updateDecoder) implements Serializable {
    }

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
        if (gate == null) {
            throw new InvalidConfigException("vaegan.loss.equilibrium-gate", "must be set");
        }
        if (generator == null) {
            throw new InvalidConfigException("vaegan.loss.generator", "must be set");
        }
    }
}
