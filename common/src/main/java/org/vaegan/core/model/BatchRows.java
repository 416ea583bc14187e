package org.vaegan.core.model;

import org.nd4j.linalg.api.ndarray.INDArray;
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
}
