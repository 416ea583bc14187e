package org.vaegan.core.config;

/** A config value that cannot be used; the message names the key and what would be valid. */
public final class InvalidConfigException extends RuntimeException {
    public InvalidConfigException(String key, String problem) {
        super("Invalid config " + key + ": " + problem);
    }

    public InvalidConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
