package org.vaegan.core.benchmark;

import org.vaegan.core.io.ProcessMemory;
import org.vaegan.core.train.StepPhases;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Peak resident memory of each phase of a training step, over all steps seen: at the end of a
 * phase it takes the process's peak RSS (Linux VmHWM) and resets it, so each reading covers one
 * phase. Where the peak cannot be reset (no /proc) the readings are cumulative.
 */
public final class PhaseMemoryProfile implements StepPhases {
    private final Map<String, Long> peakMiB = new LinkedHashMap<>();
    private long overallMiB = -1;

    public PhaseMemoryProfile() {
        ProcessMemory.resetPeak();
    }

    @Override
    public void ended(String phase) {
        long peak = ProcessMemory.peakRssMiB();
        peakMiB.merge(phase, peak, Math::max);
        overallMiB = Math.max(overallMiB, peak);
        ProcessMemory.resetPeak();
    }

    /** The highest peak of each phase, in the order the phases first ended. */
    public Map<String, Long> peaksMiB() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(peakMiB));
    }

    /** The peak RSS since this profile began, all phases and whatever ran between them. */
    public long overallPeakMiB() {
        return Math.max(overallMiB, ProcessMemory.peakRssMiB());
    }

    /** "phase a 1234 | phase b 2015 (peak) | ..." in MiB. */
    public String describe() {
        long top = peakMiB.values().stream().mapToLong(Long::longValue).max().orElse(-1);
        StringJoiner line = new StringJoiner(" | ");
        peakMiB.forEach((phase, mib) -> line.add(String.format(Locale.ROOT, "%s %d%s", phase, mib, mib == top ? " (peak)" : "")));
        return line.toString();
    }
}
