package org.vaegan.spark;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GPU selection logic, no GPU needed. */
class GpuSelectionTest {
    @Test
    void taskWithoutGpuGetsNone() {
        assertEquals(OptionalInt.empty(), GpuSelection.deviceIndex(List.of(), null, 1));
        assertEquals(OptionalInt.empty(), GpuSelection.deviceIndex(null, "0,1", 2));
    }

    @Test
    void addressIsTheDeviceWhenAllDevicesAreVisible() {
        assertEquals(OptionalInt.of(1), GpuSelection.deviceIndex(List.of("1"), null, 2));
        assertEquals(OptionalInt.of(0), GpuSelection.deviceIndex(List.of("0", "1"), "", 2));
    }

    @Test
    void addressMapsToItsPlaceAmongTheVisibleDevices() {
        // The executor sees physical GPUs 2 and 3 as CUDA devices 0 and 1.
        assertEquals(OptionalInt.of(1), GpuSelection.deviceIndex(List.of("3"), "2,3", 2));
        assertEquals(OptionalInt.of(0), GpuSelection.deviceIndex(List.of(" 2 "), "2, 3", 2));
    }

    @Test
    void impossibleAssignmentsNameWhatToFix() {
        IllegalStateException hidden = assertThrows(IllegalStateException.class,
                () -> GpuSelection.deviceIndex(List.of("5"), "2,3", 2));
        assertTrue(hidden.getMessage().contains("CUDA_VISIBLE_DEVICES"), hidden.getMessage());
        IllegalStateException tooFew = assertThrows(IllegalStateException.class,
                () -> GpuSelection.deviceIndex(List.of("4"), null, 2));
        assertTrue(tooFew.getMessage().contains("spark.executor.resource.gpu.amount"), tooFew.getMessage());
        IllegalStateException notIndex = assertThrows(IllegalStateException.class,
                () -> GpuSelection.deviceIndex(List.of("GPU-abc"), null, 2));
        assertTrue(notIndex.getMessage().contains("discovery script"), notIndex.getMessage());
    }
}
