package org.vaegan.core.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.vaegan.core.config.InvalidConfigException;
import org.vaegan.core.config.PreprocessConfig;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;

/**
 * The start-up check that the crop fits the data: reads the header (not the pixels) of the first
 * readable pictures and stops the job, naming the file and the setting, when the crop does not
 * fit. Later pictures that do not fit are bad input, counted like corrupt ones.
 */
public final class CropProbe {
    private static final int PROBED = 3;

    private CropProbe() {
    }

    public static void check(DatasetListing listing, PreprocessConfig preprocess, int size, int channels, Configuration hadoop) {
        PicturePreprocessor preprocessor = new PicturePreprocessor(preprocess, size, channels);
        if (listing.idx() != null) {
            try {
                preprocessor.cropOf(listing.idx().height(), listing.idx().width());
            } catch (BadInputException e) {
                throw new InvalidConfigException(preprocess.cropKey(), "does not fit the IDX images of " + listing.root() + ": " + e.getMessage());
            }
            return;
        }
        List<DataFile> files = listing.files();
        int probed = 0;
        for (int i = 0; i < files.size() && probed < PROBED; i++) {
            int[] hw = dimensions(files.get(i), hadoop);
            if (hw == null || Math.min(hw[0], hw[1]) < preprocess.minSide()) {
                continue; // unreadable or tiny: the decoder counts it as bad input
            }
            probed++;
            try {
                preprocessor.cropOf(hw[0], hw[1]);
            } catch (BadInputException e) {
                throw new InvalidConfigException(preprocess.cropKey(), "does not fit the pictures of vaegan.data.path: "
                        + files.get(i).uri() + " is " + hw[1] + "x" + hw[0] + " (width x height)");
            }
        }
    }

    /** {height, width} from the picture's header, or null when it cannot be read. */
    private static int[] dimensions(DataFile file, Configuration hadoop) {
        Path path = new Path(file.uri());
        try {
            FileSystem fs = DatasetListing.fileSystem(path, hadoop);
            try (InputStream raw = fs.open(path); ImageInputStream in = new MemoryCacheImageInputStream(raw)) {
                Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
                if (!readers.hasNext()) {
                    return null;
                }
                ImageReader reader = readers.next();
                try {
                    reader.setInput(in, true, true);
                    return new int[] {reader.getHeight(0), reader.getWidth(0)};
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
