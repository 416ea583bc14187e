package org.vaegan.core.data;

/** The dataset as a whole is unusable: too many bad files, or too few good images for a partition. */
public final class BadDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadDataException(String message) {
        super(message);
    }
}
