package org.vaegan.core.eval;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.BadInputException;
import org.vaegan.core.data.DatasetListing;
import org.vaegan.core.data.IdxFile;
import org.vaegan.core.data.PicturePreprocessor;
import org.vaegan.core.data.Shard;
import org.vaegan.core.infer.InferenceInputException;
import org.vaegan.core.infer.InputImages;

import java.io.IOException;
import java.util.stream.IntStream;

/**
 * The images {@code evaluate} measures a model on, preprocessed as its training data: an IDX
 * images file (gzip or plain; the first n records, with class labels from an IDX labels file when
 * given) or a JPEG/PNG file or folder (the first n by path, no labels).
 *
 * @param labels class labels, or null when the data has none
 */
public record HeldOutImages(INDArray images, int[] labels, String description) {
    public int count() {
        return (int) images.size(0);
    }

    public static HeldOutImages load(String data, String labels, int limit, VaeganConfig model, Configuration hadoop) throws IOException {
        Path path = new Path(data);
        FileSystem fs = DatasetListing.fileSystem(path, hadoop);
        path = fs.makeQualified(path);
        if (!fs.exists(path)) {
            throw new InferenceInputException("--data: " + path + " does not exist (give an IDX images file, a picture or a folder of pictures)");
        }
        if (fs.getFileStatus(path).isFile() && isIdx(fs, path)) {
            return idx(fs, path, labels, limit, model, hadoop);
        }
        if (labels != null) {
            throw new InferenceInputException("--labels goes with an IDX images file; --data " + path + " is pictures");
        }
        InputImages pictures = InputImages.open(data, "--data", hadoop, model);
        INDArray images = pictures.loadFirst(limit);
        return new HeldOutImages(images, null, pictures.files().size() + " pictures under " + path + ", first " + images.size(0));
    }

    private static boolean isIdx(FileSystem fs, Path path) throws IOException {
        try (IdxFile ignored = IdxFile.open(fs.open(path), path.toString())) {
            return true;
        } catch (IOException notIdx) {
            return false;
        }
    }

    private static HeldOutImages idx(FileSystem fs, Path path, String labelsFile, int limit, VaeganConfig model, Configuration hadoop)
            throws IOException {
        int size = model.model().imageSize();
        int channels = model.model().channels();
        PicturePreprocessor preprocessor = new PicturePreprocessor(model.data().preprocess(), size, channels);
        try (IdxFile idx = IdxFile.open(fs.open(path), path.toString())) {
            int n = Math.min(limit, idx.count());
            byte[] record = new byte[idx.recordBytes()];
            byte[] bytes = new byte[n * preprocessor.imageBytes()];
            for (int i = 0; i < n; i++) {
                idx.next(record);
                try {
                    preprocessor.applyGrey(record, idx.height(), idx.width(), bytes, i * preprocessor.imageBytes());
                } catch (BadInputException e) {
                    throw new InferenceInputException("--data: record " + i + " of " + path + " cannot be used: " + e.getMessage());
                }
            }
            INDArray images = Shard.ofBytes(0, n, channels, size, bytes, false, 0).batch(IntStream.range(0, n).toArray());
            int[] labels = labelsFile == null ? null : labels(labelsFile, n, idx.count(), hadoop);
            return new HeldOutImages(images, labels, "first " + n + " of " + idx.count() + " records of " + path);
        }
    }

    private static int[] labels(String location, int n, int expected, Configuration hadoop) throws IOException {
        Path path = new Path(location);
        FileSystem fs = DatasetListing.fileSystem(path, hadoop);
        if (!fs.exists(path)) {
            throw new InferenceInputException("--labels: " + fs.makeQualified(path) + " does not exist");
        }
        try (IdxFile idx = IdxFile.open(fs.open(path), path.toString())) {
            if (idx.count() != expected || idx.recordBytes() != 1) {
                throw new InferenceInputException("--labels: " + path + " holds " + idx.count() + " labels of " + idx.recordBytes()
                        + " byte(s); the images file has " + expected + " records (one byte each expected)");
            }
            int[] labels = new int[n];
            byte[] one = new byte[1];
            for (int i = 0; i < n; i++) {
                idx.next(one);
                labels[i] = one[0] & 0xff;
            }
            return labels;
        }
    }
}
