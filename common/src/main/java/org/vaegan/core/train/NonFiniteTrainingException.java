package org.vaegan.core.train;

/**
 * Training went bad: {@code vaegan.train.max-bad-steps} steps in a row had a non-finite loss or
 * gradient. Those steps changed nothing, so the last checkpoint holds the last good state.
 */
public final class NonFiniteTrainingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String what;

    public NonFiniteTrainingException(String what, int consecutiveSteps, long step) {
        super(what + " was not finite (NaN or infinite) in " + consecutiveSteps
                + " consecutive steps up to step " + step + " (vaegan.train.max-bad-steps); those steps were skipped and"
                + " the last checkpoint is the last good state. Try a lower vaegan.optimizer.learning-rate, a smaller"
                + " vaegan.model.logvar-clamp, or check the input images.");
        this.what = what;
    }

    /** The loss or gradient that went bad, e.g. "L_llike". */
    public String what() {
        return what;
    }
}
