package org.vaegan.core.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaegan.core.config.PreprocessConfig;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decodes and preprocesses one shard into its cache file, one image at a time (bounded memory).
 * A bad picture is skipped, counted and logged with its path; an unreadable IDX file or a failing
 * cache write is an error (it is not the data's fault).
 */
public final class ShardDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(ShardDecoder.class);
    /** Images decoded in this JVM since it started: lets a test see that a cached run decodes nothing. */
    private static final AtomicLong DECODED = new AtomicLong();

    private final PicturePreprocessor preprocessor;
    private final PictureDecoder decoder;
    private final int size;
    private final int channels;

    public ShardDecoder(PreprocessConfig preprocess, int size, int channels) {
        this.preprocessor = new PicturePreprocessor(preprocess, size, channels);
        this.decoder = new PictureDecoder(preprocess.minSide());
        this.size = size;
        this.channels = channels;
    }

    public static long decodedInThisJvm() {
        return DECODED.get();
    }

    public DecodeReport decode(ShardSpec spec, Configuration hadoop) throws IOException {
        long began = System.nanoTime();
        Path target = new Path(spec.cacheFile());
        FileSystem cacheFs = DatasetListing.fileSystem(target, hadoop);
        byte[] image = new byte[preprocessor.imageBytes()];
        int bad = 0;
        List<String> firstBad = new ArrayList<>();
        try (ShardFile.Writer writer = new ShardFile.Writer(cacheFs, target, channels, size)) {
            if (spec.files() != null) {
                for (DataFile file : spec.files()) {
                    try {
                        BufferedImage picture = decoder.decode(read(file, hadoop));
                        preprocessor.apply(picture, image, 0);
                        writer.append(image, 0, file.label());
                        DECODED.incrementAndGet();
                    } catch (BadInputException | RuntimeException e) {
                        // One odd file (a colour model the preprocessing trips over) must not end a long job.
                        String reason = e instanceof BadInputException ? e.getMessage() : "cannot preprocess: " + e;
                        bad++;
                        String line = file.uri() + ": " + reason;
                        LOG.warn("bad input skipped: {}", line);
                        if (firstBad.size() < DecodeReport.LISTED_BAD) {
                            firstBad.add(line);
                        }
                    }
                }
            } else {
                decodeIdx(spec, hadoop, writer, image);
            }
            writer.finish();
            return new DecodeReport(spec.index(), writer.images(), bad, List.copyOf(firstBad),
                    (System.nanoTime() - began) / 1e9);
        }
    }

    private void decodeIdx(ShardSpec spec, Configuration hadoop, ShardFile.Writer writer, byte[] image) throws IOException {
        Path imagesPath = new Path(spec.idxImages());
        FileSystem fs = DatasetListing.fileSystem(imagesPath, hadoop);
        int[] labels = null;
        if (spec.idxLabels() != null) {
            Path labelsPath = new Path(spec.idxLabels());
            FileSystem lfs = DatasetListing.fileSystem(labelsPath, hadoop);
            try (InputStream in = lfs.open(labelsPath); IdxFile idx = IdxFile.open(in, labelsPath.toString())) {
                idx.skip(spec.first());
                byte[] label = new byte[1];
                labels = new int[spec.count()];
                for (int i = 0; i < spec.count(); i++) {
                    idx.next(label);
                    labels[i] = label[0] & 0xff;
                }
            }
        }
        try (InputStream in = fs.open(imagesPath); IdxFile idx = IdxFile.open(in, imagesPath.toString())) {
            idx.skip(spec.first());
            byte[] record = new byte[idx.recordBytes()];
            for (int i = 0; i < spec.count(); i++) {
                idx.next(record);
                try {
                    preprocessor.applyGrey(record, idx.height(), idx.width(), image, 0);
                } catch (BadInputException e) {
                    // Every record has the same shape: this is a setting error, not a bad record.
                    throw new IOException(imagesPath + ": " + e.getMessage());
                }
                writer.append(image, 0, labels == null ? -1 : labels[i]);
                DECODED.incrementAndGet();
            }
        }
    }

    private static byte[] read(DataFile file, Configuration hadoop) throws BadInputException {
        Path path = new Path(file.uri());
        try {
            FileSystem fs = DatasetListing.fileSystem(path, hadoop);
            try (InputStream in = fs.open(path)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            // Gone or unreadable since the listing: the file's problem, counted like a corrupt one.
            throw new BadInputException("cannot read: " + e.getMessage());
        }
    }
}
