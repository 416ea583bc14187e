package org.vaegan.core.data;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Decodes one JPEG or PNG file with javax.imageio and rejects what the pipeline cannot use: no
 * reader, a reader error or warning (a truncated JPEG only warns and would be grey-filled), CMYK,
 * samples wider than 8 bits, pictures with a side below the minimum, and pictures of more than
 * {@value #MAX_PIXELS} pixels (both checked from the header, before the pixels are decoded, so a
 * decompression bomb cannot exhaust the executor's heap).
 */
public final class PictureDecoder {
    /** 64 megapixels: 192 MiB decoded as 3-byte RGB, several times any training picture. */
    static final long MAX_PIXELS = 64L << 20;

    private final int minSide;

    public PictureDecoder(int minSide) {
        this.minSide = minSide;
    }

    public BufferedImage decode(byte[] file) throws BadInputException {
        if (file.length == 0) {
            throw new BadInputException("empty file");
        }
        // An in-memory stream: ImageIO.createImageInputStream would spool through a temporary file.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(file))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new BadInputException("not a picture javax.imageio can read");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (Math.min(width, height) < minSide) {
                    throw new BadInputException(width + "x" + height + " pixels, below vaegan.data.preprocess.min-side " + minSide);
                }
                if ((long) width * height > MAX_PIXELS) {
                    throw new BadInputException(width + "x" + height + " pixels, more than " + MAX_PIXELS + " (64 megapixels)");
                }
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new BadInputException("damaged " + reader.getFormatName() + ": " + warnings.get(0));
                }
                if (image == null) {
                    throw new BadInputException("decoder returned nothing");
                }
                checkColourModel(image);
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IIOException e) {
            throw new BadInputException("unreadable: " + describe(e));
        } catch (IOException | RuntimeException e) {
            // Corrupt data also surfaces as runtime exceptions from the codecs (index out of bounds, ...).
            throw new BadInputException("unreadable: " + describe(e));
        }
    }

    private static void checkColourModel(BufferedImage image) throws BadInputException {
        int space = image.getColorModel().getColorSpace().getType();
        if (space == ColorSpace.TYPE_CMYK) {
            throw new BadInputException("unsupported colour model: CMYK");
        }
        if (space != ColorSpace.TYPE_RGB && space != ColorSpace.TYPE_GRAY) {
            throw new BadInputException("unsupported colour space type " + space);
        }
        for (int bits : image.getSampleModel().getSampleSize()) {
            if (bits > 8) {
                throw new BadInputException("unsupported colour model: " + bits + "-bit samples");
            }
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }
}
