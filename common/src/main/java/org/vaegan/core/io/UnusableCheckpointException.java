package org.vaegan.core.io;

/** Checkpoints a run cannot continue from: of another model (the message names the keys that differ), or none verifies. */
public final class UnusableCheckpointException extends RuntimeException {
    public UnusableCheckpointException(String message) {
        super(message);
    }
}
