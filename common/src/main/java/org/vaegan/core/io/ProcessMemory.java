package org.vaegan.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this JVM, heap and ND4J's off-heap arrays together (Linux /proc). */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Peak resident set size in MiB (VmHWM), or -1 where /proc is not available. */
    public static long peakRssMiB() {
        return statusField("VmHWM:");
    }

    /**
     * Resets the peak resident set size to the current one (Linux: "5" into /proc/self/clear_refs),
     * so that a benchmark reports its own peak. Returns false where that is not possible.
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Current resident set size in MiB (VmRSS), or -1 where /proc is not available. */
    public static long rssMiB() {
        return statusField("VmRSS:");
    }

    /** Native memory held by ND4J arrays and other JavaCPP allocations, in MiB. */
    public static long offHeapMiB() {
        return org.bytedeco.javacpp.Pointer.totalBytes() >> 20;
    }

    /** Committed Java heap, in MiB. */
    public static long heapCommittedMiB() {
        return Runtime.getRuntime().totalMemory() >> 20;
    }

    /** One line for logs: RSS, peak RSS, ND4J off-heap and committed heap. */
    public static String describe() {
        return "RSS " + rssMiB() + " MiB (peak " + peakRssMiB() + "), ND4J off-heap " + offHeapMiB()
                + " MiB, heap committed " + heapCommittedMiB() + " MiB";
    }

    private static long statusField(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
