package org.vaegan.core.state;

/** SplitMix64's finaliser: turns related inputs (seed, index, round...) into unrelated seeds. */
public final class SeedMixer {
    private SeedMixer() {
    }

    public static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
