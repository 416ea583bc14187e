package org.vaegan.tests;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Small PNG and JPEG pictures of distinct gradients, written to any Hadoop file system. */
final class TestPictures {
    private TestPictures() {
    }

    /** {@code perFormat} PNGs under root/png and as many JPEGs under root/jpeg, of two sizes. */
    static void write(FileSystem fs, Path root, int perFormat) throws IOException {
        for (int i = 0; i < perFormat; i++) {
            put(fs, new Path(root, "png/p" + i + ".png"), picture(20, 24, i), "png");
            put(fs, new Path(root, "jpeg/j" + i + ".jpg"), picture(24, 20, 50 + i), "jpg");
        }
    }

    private static BufferedImage picture(int w, int h, int seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 10 + seed * 7) & 0xff) << 16 | ((y * 10 + seed) & 0xff) << 8 | ((seed * 30) & 0xff));
            }
        }
        return img;
    }

    private static void put(FileSystem fs, Path path, BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, format, bytes);
        try (FSDataOutputStream out = fs.create(path, true)) {
            out.write(bytes.toByteArray());
        }
    }
}
