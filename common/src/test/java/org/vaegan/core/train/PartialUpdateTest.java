package org.vaegan.core.train;

import org.junit.jupiter.api.Test;
import org.vaegan.core.model.Part;
import org.vaegan.core.state.ModelState;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PartialUpdateTest {
    private static ModelState constant(float value, int size) {
        int n = Part.values().length;
        float[][] params = new float[n][];
        float[][] opt = new float[n][];
        for (int i = 0; i < n; i++) {
            params[i] = new float[size];
            opt[i] = new float[size];
            java.util.Arrays.fill(params[i], value);
            java.util.Arrays.fill(opt[i], 2 * value);
        }
        return new ModelState(params, opt, 0);
    }

    @Test
    void averageIsWeightedByImages() {
        // 1.0 trained on 100 images, 4.0 on 300: (100 + 1200) / 400 = 3.25
        ModelState avg = PartialUpdate.of(constant(1f, 3), 100).merge(PartialUpdate.of(constant(4f, 3), 300)).average(9);
        for (Part p : Part.values()) {
            assertArrayEquals(new float[] {3.25f, 3.25f, 3.25f}, avg.params(p));
            assertArrayEquals(new float[] {6.5f, 6.5f, 6.5f}, avg.optimizer(p));
        }
        assertEquals(9, avg.step());
    }

    @Test
    void mergeOrderDoesNotMatter() {
        ModelState left = PartialUpdate.of(constant(1f, 2), 64).merge(
                PartialUpdate.of(constant(2f, 2), 64).merge(PartialUpdate.of(constant(4f, 2), 64))).average(1);
        ModelState right = PartialUpdate.of(constant(4f, 2), 64).merge(PartialUpdate.of(constant(1f, 2), 64))
                .merge(PartialUpdate.of(constant(2f, 2), 64)).average(1);
        assertArrayEquals(left.params(Part.ENCODER), right.params(Part.ENCODER), 1e-6f);
    }

    @Test
    void averagingNothingIsAnError() {
        PartialUpdate empty = PartialUpdate.of(constant(1f, 2), 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> empty.average(1));
        assertEquals(true, e.getMessage().contains("weight"));
    }

    @Test
    void mismatchedSizesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> PartialUpdate.of(constant(1f, 2), 1).merge(PartialUpdate.of(constant(1f, 3), 1)));
    }
}
