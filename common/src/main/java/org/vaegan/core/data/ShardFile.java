package org.vaegan.core.data;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The cache file of one decoded shard: a 16-byte header (magic "VGS1", channels, size, reserved),
 * the pixels (uint8 CHW, one image after another), the labels (int32 each), and the image count
 * as the last 4 bytes. Four times smaller than floats; any run of images is one positioned read;
 * and it is written as a stream (count and labels last), so decoding holds one image at a time.
 */
public final class ShardFile {
    private static final int MAGIC = 0x56475331; // "VGS1"
    private static final int HEADER_BYTES = 16;

    private ShardFile() {
    }

    /** What the file holds. */
    public record Header(int images, int channels, int size) {
        public int imageBytes() {
            return channels * size * size;
        }
    }

    /** Appends images to a temporary file; {@link #finish()} writes labels and count, then renames into place. */
    public static final class Writer implements AutoCloseable {
        private final FileSystem fs;
        private final Path target;
        private final Path tmp;
        private final DataOutputStream out;
        private final int imageBytes;
        private int[] labels = new int[256];
        private int images;
        private boolean finished;

        public Writer(FileSystem fs, Path target, int channels, int size) throws IOException {
            this.fs = fs;
            this.target = target;
            this.tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
            this.imageBytes = channels * size * size;
            FSDataOutputStream raw = fs.create(tmp, true);
            this.out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
            out.writeInt(MAGIC);
            out.writeInt(channels);
            out.writeInt(size);
            out.writeInt(0);
        }

        public void append(byte[] pixels, int offset, int label) throws IOException {
            out.write(pixels, offset, imageBytes);
            if (images == labels.length) {
                labels = Arrays.copyOf(labels, labels.length * 2);
            }
            labels[images++] = label;
        }

        public int images() {
            return images;
        }

        public void finish() throws IOException {
            for (int i = 0; i < images; i++) {
                out.writeInt(labels[i]);
            }
            out.writeInt(images);
            out.close();
            finished = true;
            if (fs.exists(target) && !fs.delete(target, false)) {
                throw new IOException("cannot replace " + target);
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
        }

        @Override
        public void close() throws IOException {
            if (!finished) {
                out.close();
                fs.delete(tmp, false);
            }
        }
    }

    public static Header readHeader(FileSystem fs, Path path) throws IOException {
        long length = fs.getFileStatus(path).getLen();
        try (FSDataInputStream in = fs.open(path)) {
            return header(in, path, length);
        }
    }

    private static Header header(FSDataInputStream in, Path path, long length) throws IOException {
        if (length < HEADER_BYTES + 4) {
            throw new IOException(path + " is too short for a vaegan shard file");
        }
        in.seek(0);
        if (in.readInt() != MAGIC) {
            throw new IOException(path + " is not a vaegan shard file");
        }
        int channels = in.readInt();
        int size = in.readInt();
        in.seek(length - 4);
        int images = in.readInt();
        Header h = new Header(images, channels, size);
        if (HEADER_BYTES + (long) images * (h.imageBytes() + 4) + 4 != length) {
            throw new IOException(path + " is incomplete: " + length + " bytes for " + images + " images");
        }
        return h;
    }

    /** All labels of the shard. */
    public static int[] readLabels(FileSystem fs, Path path) throws IOException {
        long length = fs.getFileStatus(path).getLen();
        try (FSDataInputStream in = fs.open(path)) {
            Header h = header(in, path, length);
            in.seek(HEADER_BYTES + (long) h.images() * h.imageBytes());
            int[] labels = new int[h.images()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = in.readInt();
            }
            return labels;
        }
    }

    /**
     * Reads runs of images into one buffer: for every {@code (first, count)} pair in {@code runs},
     * in order. Returns their pixels (uint8 CHW per image).
     */
    public static byte[] readRuns(FileSystem fs, Path path, long[] runs) throws IOException {
        long length = fs.getFileStatus(path).getLen();
        try (FSDataInputStream in = fs.open(path)) {
            Header h = header(in, path, length);
            long total = 0;
            for (int r = 1; r < runs.length; r += 2) {
                total += runs[r];
            }
            byte[] out = new byte[Math.toIntExact(total * h.imageBytes())];
            int at = 0;
            for (int r = 0; r < runs.length; r += 2) {
                long first = runs[r];
                int count = (int) runs[r + 1];
                if (first < 0 || first + count > h.images()) {
                    throw new IOException(path + " has " + h.images() + " images; asked for [" + first + ", " + (first + count) + ")");
                }
                int len = count * h.imageBytes();
                in.readFully(HEADER_BYTES + first * h.imageBytes(), out, at, len);
                at += len;
            }
            return out;
        }
    }
}
