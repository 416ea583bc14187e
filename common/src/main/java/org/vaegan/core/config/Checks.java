package org.vaegan.core.config;

import java.util.List;

/** Range checks shared by the config records' compact constructors. */
final class Checks {
    private Checks() {
    }

    static void positive(String key, long value) {
        if (value <= 0) {
            throw new InvalidConfigException(key, "must be > 0, got " + value);
        }
    }

    static void nonNegative(String key, long value) {
        if (value < 0) {
            throw new InvalidConfigException(key, "must be >= 0, got " + value);
        }
    }

    static void positive(String key, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new InvalidConfigException(key, "must be a finite number > 0, got " + value);
        }
    }

    static void nonNegative(String key, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new InvalidConfigException(key, "must be a finite number >= 0, got " + value);
        }
    }

    static void inOpenUnitInterval(String key, double value) {
        if (!(value > 0 && value < 1)) {
            throw new InvalidConfigException(key, "must lie strictly between 0 and 1, got " + value);
        }
    }

    static void allPositive(String key, List<Integer> values, int minSize) {
        if (values.size() < minSize) {
            throw new InvalidConfigException(key, "needs at least " + minSize + " entries, got " + values);
        }
        for (int v : values) {
            if (v <= 0) {
                throw new InvalidConfigException(key, "entries must be > 0, got " + values);
            }
        }
    }

    static void notBlank(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidConfigException(key, "must not be empty");
        }
    }
}
