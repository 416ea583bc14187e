package org.vaegan.core.data;

import org.junit.jupiter.api.Test;
import org.vaegan.core.config.PreprocessConfig;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PicturePreprocessorTest {
    private static PreprocessConfig config(String preset, String crop, int cropSize, List<Integer> box, String resize) {
        return new PreprocessConfig(preset, PreprocessConfig.Crop.valueOf(crop), cropSize,
                new PreprocessConfig.CropBox(box.get(0), box.get(1), box.get(2), box.get(3)),
                PreprocessConfig.Resize.valueOf(resize), false, 8);
    }

    /**
     * The CelebA preset on a 178x218 picture: pure red outside the paper's box, a smooth pattern
     * inside. The 64x64 result must equal a direct 2-D area average of the box (no red leaks in).
     */
    @Test
    void celebaPresetCropsThePapersBoxAndAreaResizesTo64() throws Exception {
        int width = 178;
        int height = 218;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean inside = y >= 40 && y < 188 && x >= 15 && x < 163;
                int rgb = inside ? (((x * 7 + y) % 128) << 16) | ((y * 255 / height) << 8) | ((x * 255 / width) & 0xff) : 0xff0000;
                img.setRGB(x, y, rgb);
            }
        }
        PreprocessConfig celeba = config("celeba", "NONE", 0, List.of(0, 0, 1, 1), "AUTO");
        assertEquals(PreprocessConfig.Crop.BOX, celeba.crop());
        PicturePreprocessor p = new PicturePreprocessor(celeba, 64, 3);
        byte[] out = new byte[3 * 64 * 64];
        p.apply(img, out, 0);

        double scale = 148.0 / 64;
        int worst = 0;
        for (int c = 0; c < 3; c++) {
            for (int oy = 0; oy < 64; oy++) {
                for (int ox = 0; ox < 64; ox++) {
                    double sum = 0;
                    double area = 0;
                    for (int sy = (int) Math.floor(oy * scale); sy < Math.ceil((oy + 1) * scale); sy++) {
                        double wy = Math.min((oy + 1) * scale, sy + 1) - Math.max(oy * scale, sy);
                        for (int sx = (int) Math.floor(ox * scale); sx < Math.ceil((ox + 1) * scale); sx++) {
                            double wx = Math.min((ox + 1) * scale, sx + 1) - Math.max(ox * scale, sx);
                            int rgb = img.getRGB(15 + sx, 40 + sy);
                            sum += wx * wy * ((rgb >> (16 - 8 * c)) & 0xff);
                            area += wx * wy;
                        }
                    }
                    int expected = (int) Math.round(sum / area);
                    int got = out[c * 64 * 64 + oy * 64 + ox] & 0xff;
                    worst = Math.max(worst, Math.abs(expected - got));
                }
            }
        }
        assertTrue(worst <= 1, "largest difference to a direct area average: " + worst);
        // Red (255) exists only outside the box; the box's red channel stays below 128.
        for (int i = 0; i < 64 * 64; i++) {
            assertTrue((out[i] & 0xff) < 128, "red leaked in at " + i);
        }
    }

    @Test
    void centreCropTakesTheMiddleSquareAndGreyUsesLuma() throws Exception {
        // 30 wide, 10 high: left and right thirds white, middle square grey 100.
        BufferedImage img = new BufferedImage(30, 10, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 30; x++) {
                img.setRGB(x, y, x >= 10 && x < 20 ? 0x646464 : 0xffffff);
            }
        }
        PicturePreprocessor p = new PicturePreprocessor(config("none", "CENTRE", 0, List.of(0, 0, 1, 1), "AREA"), 5, 1);
        byte[] out = new byte[25];
        p.apply(img, out, 0);
        for (byte b : out) {
            assertEquals(100, b & 0xff);
        }
    }

    @Test
    void bicubicKeepsAConstantPictureConstantWhenEnlarging() throws Exception {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                img.setRGB(x, y, 0x2040c0);
            }
        }
        PicturePreprocessor p = new PicturePreprocessor(config("none", "NONE", 0, List.of(0, 0, 1, 1), "BICUBIC"), 20, 3);
        byte[] out = new byte[3 * 400];
        p.apply(img, out, 0);
        for (int i = 0; i < 400; i++) {
            assertEquals(0x20, out[i] & 0xff);
            assertEquals(0x40, out[400 + i] & 0xff);
            assertEquals(0xc0, out[800 + i] & 0xff);
        }
    }

    @Test
    void greyPicturesAreReadWithoutGammaAndRepeatedForRgb() throws Exception {
        BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(3, 2, 0, 77);
        PicturePreprocessor p = new PicturePreprocessor(config("none", "NONE", 0, List.of(0, 0, 1, 1), "AREA"), 8, 3);
        byte[] out = new byte[3 * 64];
        p.apply(grey, out, 0);
        for (int c = 0; c < 3; c++) {
            assertEquals(77, out[c * 64 + 2 * 8 + 3] & 0xff);
            assertEquals(0, out[c * 64] & 0xff);
        }
    }

    @Test
    void aBoxOutsideThePictureIsBadInputNamingTheSetting() {
        PicturePreprocessor p = new PicturePreprocessor(config("none", "BOX", 0, List.of(10, 10, 50, 50), "AREA"), 8, 3);
        BadInputException e = assertThrows(BadInputException.class, () -> p.apply(new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB), new byte[192], 0));
        assertTrue(e.getMessage().contains("vaegan.data.preprocess.crop-box"), e.getMessage());
    }
}
