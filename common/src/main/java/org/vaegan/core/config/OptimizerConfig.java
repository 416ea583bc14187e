package org.vaegan.core.config;

import java.io.Serializable;

/** RMSProp and its learning-rate schedule, shared by the three parameter groups (keys under vaegan.optimizer). */
public record OptimizerConfig(double learningRate, double rho, double epsilon, double weightDecay,
                              Schedule schedule, double finalLearningRate, double annealingPower) implements Serializable {

    /** How the learning rate moves over the rounds of a run. */
    public enum Schedule {
        CONSTANT("constant"),
        /** The authors' GammaAnnealer: lr(p) = lr0 - p^power * (lr0 - lrFinal), p = round / rounds. */
        ANNEAL("anneal");

        private final String key;

        Schedule(String key) {
            this.key = key;
        }

        public static Schedule parse(String configKey, String value) {
            for (Schedule s : values()) {
                if (s.key.equals(value)) {
                    return s;
                }
            }
            throw new InvalidConfigException(configKey, "must be \"constant\" or \"anneal\", got \"" + value + "\"");
        }
    }

    public OptimizerConfig {
        Checks.positive("vaegan.optimizer.learning-rate", learningRate);
        Checks.inOpenUnitInterval("vaegan.optimizer.rho", rho);
        Checks.positive("vaegan.optimizer.epsilon", epsilon);
        Checks.nonNegative("vaegan.optimizer.weight-decay", weightDecay);
        Checks.positive("vaegan.optimizer.final-learning-rate", finalLearningRate);
        Checks.positive("vaegan.optimizer.annealing-power", annealingPower);
        if (schedule == null) {
            throw new InvalidConfigException("vaegan.optimizer.schedule", "must be set");
        }
        if (schedule == Schedule.ANNEAL && finalLearningRate > learningRate) {
            throw new InvalidConfigException("vaegan.optimizer.final-learning-rate",
                    "must not exceed vaegan.optimizer.learning-rate (" + learningRate + ") when annealing, got " + finalLearningRate);
        }
    }

    /** The learning rate for a step taken during {@code round} (0-based) of a run of {@code rounds}. */
    public double learningRate(long round, int rounds) {
        if (schedule == Schedule.CONSTANT) {
            return learningRate;
        }
        double progress = Math.min(1.0, Math.max(0.0, (double) round / rounds));
        return learningRate - Math.pow(progress, annealingPower) * (learningRate - finalLearningRate);
    }
}
