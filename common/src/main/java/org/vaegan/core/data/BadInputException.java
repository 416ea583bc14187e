package org.vaegan.core.data;

/** One input file that cannot become a training image; the message says why. Skipped and counted. */
public final class BadInputException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadInputException(String reason) {
        super(reason);
    }
}
