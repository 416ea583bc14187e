package org.vaegan.core.benchmark;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaegan.core.io.ProcessMemory;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Each phase's reading covers that phase only: a big array held in one phase shows there, not in the next. */
class PhaseMemoryProfileTest {
    @Test
    void aPhaseThatHeldMoreMemoryShowsAHigherPeak() {
        assumeTrue(ProcessMemory.peakRssMiB() > 0 && ProcessMemory.resetPeak(), "needs Linux /proc (VmHWM and clear_refs)");
        PhaseMemoryProfile profile = new PhaseMemoryProfile();
        profile.ended("before");
        INDArray big = Nd4j.createUninitialized(DataType.FLOAT, 64L << 20).assign(1.0); // 256 MiB, touched
        big.close();
        profile.ended("big");
        profile.ended("after");
        profile.ended("after");

        Map<String, Long> peaks = profile.peaksMiB();
        assertEquals(List.of("before", "big", "after"), List.copyOf(peaks.keySet()));
        assertTrue(peaks.get("big") >= peaks.get("after") + 200, "peaks " + peaks);
        assertTrue(profile.overallPeakMiB() >= peaks.get("big"), "overall " + profile.overallPeakMiB() + ", peaks " + peaks);
        assertTrue(profile.describe().contains("big " + peaks.get("big") + " (peak)"), profile.describe());
    }
}
