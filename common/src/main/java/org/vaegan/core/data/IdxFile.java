package org.vaegan.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reader of the IDX format of MNIST and Fashion-MNIST (unsigned bytes only): magic 0x0000 08 nd,
 * nd big-endian int dimensions, then the data. Gzip is recognised by its magic bytes, so
 * "train-images-idx3-ubyte" and "train-images-idx3-ubyte.gz" both work.
 */
public final class IdxFile implements AutoCloseable {
    private static final int UNSIGNED_BYTE = 0x08;

    private final DataInputStream in;
    private final int[] dims;

    private IdxFile(DataInputStream in, int[] dims) {
        this.in = in;
        this.dims = dims;
    }

    /** Opens the stream, unzipping when it starts with the gzip magic, and reads the header. */
    public static IdxFile open(InputStream raw, String name) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream plain = (b0 == 0x1f && b1 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16) : buffered;
        DataInputStream data = new DataInputStream(plain);
        try {
            int magic = data.readInt();
            int type = (magic >> 8) & 0xff;
            int nd = magic & 0xff;
            if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || nd < 1 || nd > 3) {
                throw new IOException(name + " is not an IDX file of unsigned bytes (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int[] dims = new int[nd];
            for (int i = 0; i < nd; i++) {
                dims[i] = data.readInt();
                if (dims[i] <= 0) {
                    throw new IOException(name + ": IDX dimension " + i + " is " + dims[i]);
                }
            }
            return new IdxFile(data, dims);
        } catch (EOFException e) {
            data.close();
            throw new IOException(name + " ends inside its IDX header", e);
        } catch (IOException e) {
            data.close();
            throw e;
        }
    }

    /** Number of records (the first dimension). */
    public int count() {
        return dims[0];
    }

    /** Record height (images: dims[1]; labels: 1). */
    public int height() {
        return dims.length > 1 ? dims[1] : 1;
    }

    public int width() {
        return dims.length > 2 ? dims[2] : 1;
    }

    public int[] dims() {
        return Arrays.copyOf(dims, dims.length);
    }

    public int recordBytes() {
        return height() * width();
    }

    /** Skips {@code records} records (gzip cannot seek: they are read and dropped). */
    public void skip(long records) throws IOException {
        long bytes = records * recordBytes();
        while (bytes > 0) {
            long n = in.skip(bytes);
            if (n <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("IDX file ends early");
                }
                n = 1;
            }
            bytes -= n;
        }
    }

    /** Reads the next record into {@code out}. */
    public void next(byte[] out) throws IOException {
        in.readFully(out, 0, recordBytes());
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
