package org.vaegan.core.io;

/**
 * A path given as a run, checkpoint or model that does not hold one (or not one that can be
 * used); the message names the path, what was found there and what would be valid.
 */
public final class ModelPathException extends RuntimeException {
    public ModelPathException(String message) {
        super(message);
    }

    public ModelPathException(String message, Throwable cause) {
        super(message, cause);
    }
}
