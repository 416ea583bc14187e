package org.vaegan.core.infer;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.BadInputException;
import org.vaegan.core.data.DatasetListing;
import org.vaegan.core.data.PictureDecoder;
import org.vaegan.core.data.PicturePreprocessor;
import org.vaegan.core.data.Shard;
import org.vaegan.core.io.RunFiles;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Pictures given to an inference command: one JPEG or PNG file, or every .jpg, .jpeg and .png
 * below a folder (recursively, sorted by path), on any Hadoop FileSystem. Each is decoded and
 * preprocessed exactly as the model's training data was (its crop, colour conversion and resize,
 * {@link PictureDecoder} and {@link PicturePreprocessor}), then mapped to [-1, 1] as a training
 * batch is; there is no random flip. A picture that cannot be used is an error naming it.
 */
public final class InputImages {
    private final String what;
    private final FileSystem fs;
    private final List<Path> files;
    private final PictureDecoder decoder;
    private final PicturePreprocessor preprocessor;
    private final int size;
    private final int channels;

    private InputImages(String what, FileSystem fs, List<Path> files, VaeganConfig config) {
        this.what = what;
        this.fs = fs;
        this.files = files;
        this.decoder = new PictureDecoder(config.data().preprocess().minSide());
        this.size = config.model().imageSize();
        this.channels = config.model().channels();
        this.preprocessor = new PicturePreprocessor(config.data().preprocess(), size, channels);
    }

    /**
     * Lists the pictures at {@code location} for the model of {@code config}.
     *
     * @param what names the input in errors (e.g. "--images")
     */
    public static InputImages open(String location, String what, Configuration hadoop, VaeganConfig config) throws IOException {
        Path path = new Path(location);
        FileSystem fs = DatasetListing.fileSystem(path, hadoop);
        path = fs.makeQualified(path);
        if (!fs.exists(path)) {
            throw new InferenceInputException(what + ": " + path + " does not exist (give a JPEG or PNG file, or a folder of them)");
        }
        List<Path> files = new ArrayList<>();
        FileStatus status = fs.getFileStatus(path);
        if (status.isDirectory()) {
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(path, true);
            while (it.hasNext()) {
                LocatedFileStatus f = it.next();
                if (f.isFile() && DatasetListing.isPictureName(f.getPath().getName())) {
                    files.add(f.getPath());
                }
            }
            files.sort(Comparator.comparing(p -> p.toUri().getPath()));
            if (files.isEmpty()) {
                throw new InferenceInputException(what + ": " + path + " holds no JPEG or PNG files (.jpg, .jpeg, .png, searched recursively)");
            }
        } else {
            files.add(path);
        }
        return new InputImages(what, fs, List.copyOf(files), config);
    }

    public int count() {
        return files.size();
    }

    public List<Path> files() {
        return files;
    }

    /** Pictures {@code [from, to)} as a [to - from, C, S, S] batch in [-1, 1]. */
    public INDArray load(int from, int to) throws IOException {
        int n = to - from;
        byte[] bytes = new byte[n * preprocessor.imageBytes()];
        for (int i = 0; i < n; i++) {
            Path file = files.get(from + i);
            try {
                preprocessor.apply(decoder.decode(RunFiles.read(fs, file)), bytes, i * preprocessor.imageBytes());
            } catch (BadInputException | RuntimeException e) {
                String reason = e instanceof BadInputException ? e.getMessage() : "cannot preprocess: " + e;
                throw new InferenceInputException(what + ": picture " + file + " cannot be used: " + reason);
            }
        }
        return Shard.ofBytes(0, n, channels, size, bytes, false, 0).batch(IntStream.range(0, n).toArray());
    }

    /** The first {@code limit} pictures (all when fewer), as one batch. */
    public INDArray loadFirst(int limit) throws IOException {
        return load(0, Math.min(limit, files.size()));
    }
}
