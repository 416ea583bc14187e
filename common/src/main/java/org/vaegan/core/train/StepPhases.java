package org.vaegan.core.train;

/**
 * Told when a phase of a training step ends (see {@link GradientRouter} for the phases), at a
 * point where the phase's intermediates have become garbage.
 */
@FunctionalInterface
public interface StepPhases {
    StepPhases NONE = phase -> { };

    void ended(String phase);

    /** This listener, then {@code next}. */
    default StepPhases andThen(StepPhases next) {
        return phase -> {
            ended(phase);
            next.ended(phase);
        };
    }
}
