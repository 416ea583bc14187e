package org.vaegan.core.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Rows of a batch (the first dimension) as a view, whatever the array's rank. */
public final class BatchRows {
    private BatchRows() {
    }

    /** Rows [from, to) of {@code a}: the array itself when that is all of it, else a view that writes through. */
    public static INDArray of(INDArray a, long from, long to) {
        if (from == 0 && to == a.size(0)) {
            return a;
        }
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        idx[0] = NDArrayIndex.interval(from, to);
        for (int i = 1; i < idx.length; i++) {
            idx[i] = NDArrayIndex.all();
        }
        return a.get(idx);
    }

    /**
     * Whether {@link #of} gives every chunk of {@code rowsPerChunk} rows of {@code a} a data buffer.
     * ND4J M2.1 gives some row ranges of a cropped view none (data() null: the last rows of a
     * 6 x 5 x 7 x 7 crop of 9 x 9 planes, whichever edges it cuts); arrays with default strides
     * always have one.
     */
    public static boolean chunksHaveBuffers(INDArray a, long rowsPerChunk) {
        if (Shape.hasDefaultStridesForShape(a)) {
            return true;
        }
        for (long from = 0; from < a.size(0); from += rowsPerChunk) {
            if (of(a, from, Math.min(a.size(0), from + rowsPerChunk)).data() == null) {
                return false;
            }
        }
        return true;
    }
}
