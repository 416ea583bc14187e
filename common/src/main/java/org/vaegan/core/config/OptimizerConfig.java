package org.vaegan.core.config;

import java.io.Serializable;

/** RMSProp settings, shared by the three parameter groups (keys under vaegan.optimizer). */
public record OptimizerConfig(double learningRate, double rho, double epsilon) implements Serializable {
    public OptimizerConfig {
        Checks.positive("vaegan.optimizer.learning-rate", learningRate);
        Checks.inOpenUnitInterval("vaegan.optimizer.rho", rho);
        Checks.positive("vaegan.optimizer.epsilon", epsilon);
    }
}
