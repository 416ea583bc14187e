package org.vaegan.core.config;

import java.io.Serializable;

/** Weights and switches of the losses (keys under vaegan.loss). */
public record LossConfig(double gamma, boolean ganReconstructions, GeneratorLoss generator, double logEpsilon,
                         double pixelWeight, EquilibriumGate gate) implements Serializable {

    /** The authors' equilibrium gate; see {@code vaegan.loss.equilibrium-gate} in reference.conf. */
    public record EquilibriumGate(boolean enabled, double target, double margin) implements Serializable {
        public EquilibriumGate {
            Checks.positive("vaegan.loss.equilibrium-gate.target", target);
            Checks.nonNegative("vaegan.loss.equilibrium-gate.margin", margin);
        }

        /**
         * Whether the discriminator and the decoder update, given the step's real score
         * mean(-log D(x)) and fake score mean(-log(1 - D(Dec(z_p)))). The distributed engine may
         * pass statistics pooled over all workers so that every replica takes the same decision.
         */
        public Decision decide(double realScore, double fakeScore) {
            if (!enabled) {
                return Decision.BOTH;
            }
            boolean dis = !(realScore < target - margin || fakeScore < target - margin);
            boolean dec = !(realScore > target + margin || fakeScore > target + margin);
            return dis || dec ? new Decision(dis, dec) : Decision.BOTH;
        }
    }

    /** Which groups a step updates (the encoder always does). */
    public record Decision(boolean updateDiscriminator, boolean updateDecoder) implements Serializable {
        public static final Decision BOTH = new Decision(true, true);
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
        Checks.nonNegative("vaegan.loss.pixel-weight", pixelWeight);
        if (!(logEpsilon >= 0 && logEpsilon < 1)) {
            throw new InvalidConfigException("vaegan.loss.log-epsilon", "must be in [0, 1), got " + logEpsilon);
        }
        if (gate == null) {
            throw new InvalidConfigException("vaegan.loss.equilibrium-gate", "must be set");
        }
        if (generator == null) {
            throw new InvalidConfigException("vaegan.loss.generator", "must be set");
        }
    }
}
