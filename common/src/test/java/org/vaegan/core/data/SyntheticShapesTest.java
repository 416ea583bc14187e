package org.vaegan.core.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticShapesTest {
    @Test
    void imagesAreDeterministicFromSeedAndIndex() {
        assertArrayEquals(new SyntheticShapes(32, 3, 9).pixels(100, 4), new SyntheticShapes(32, 3, 9).pixels(100, 4));
        // The image at index 101 is the same whether drawn alone or inside a range.
        float[] range = new SyntheticShapes(32, 3, 9).pixels(100, 2);
        float[] alone = new SyntheticShapes(32, 3, 9).pixels(101, 1);
        float[] second = java.util.Arrays.copyOfRange(range, 3 * 32 * 32, 2 * 3 * 32 * 32);
        assertArrayEquals(alone, second);
    }

    @Test
    void differentIndicesAndSeedsGiveDifferentImages() {
        SyntheticShapes shapes = new SyntheticShapes(32, 3, 9);
        assertFalse(java.util.Arrays.equals(shapes.pixels(0, 1), shapes.pixels(1, 1)));
        assertFalse(java.util.Arrays.equals(shapes.pixels(0, 1), new SyntheticShapes(32, 3, 10).pixels(0, 1)));
    }

    @Test
    void pixelsLieInMinusOneToOneAndShowShapesOnADarkBackground() {
        float[] px = new SyntheticShapes(32, 3, 1).pixels(0, 50);
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        int bright = 0;
        for (float v : px) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            bright += v > 0 ? 1 : 0;
        }
        assertTrue(min >= -1 && max <= 1, "range " + min + ".." + max);
        // Background is dark (< 0); shapes are bright: both must be present.
        double brightShare = bright / (double) px.length;
        assertTrue(brightShare > 0.05 && brightShare < 0.7, "bright share " + brightShare);
    }

    @Test
    void greyImagesHaveOneChannel() {
        assertEquals(16 * 16, new SyntheticShapes(16, 1, 1).pixels(0, 1).length);
    }
}
