package org.vaegan.core.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Where a kind of parameter (weights, batch-norm running statistics) lies in a network's flat
 * parameter vector, as [from, to) ranges in order. Replaces 0/1 masks as long as the vector: on
 * the 64x64 model two masks per group held 388 MB for a few dozen ranges.
 */
public final class ParameterRanges {
    private final long length;
    private final List<long[]> ranges;

    ParameterRanges(long length, List<long[]> ranges) {
        this.length = length;
        // Copies of the pairs too: the builder extends its last one in place.
        this.ranges = ranges.stream().map(long[]::clone).toList();
    }

    /**
     * Calls {@code action} with the views of {@code a} and {@code b} over the part of each range that
     * lies in [from, to); {@code a} and {@code b} hold entries [from, to) of the vector.
     */
    public void forEachWithin(long from, long to, INDArray a, INDArray b, BiConsumer<INDArray, INDArray> action) {
        for (long[] r : ranges) {
            long lo = Math.max(r[0], from);
            long hi = Math.min(r[1], to);
            if (lo < hi) {
                action.accept(a.get(NDArrayIndex.interval(lo - from, hi - from)), b.get(NDArrayIndex.interval(lo - from, hi - from)));
            }
        }
    }

    /** A 0/1 vector as long as the parameter vector, 1 in the ranges (for tests and inspection; built on each call). */
    public INDArray mask(DataType type) {
        INDArray mask = Nd4j.zeros(type, length);
        for (long[] r : ranges) {
            mask.get(NDArrayIndex.interval(r[0], r[1])).assign(1.0);
        }
        return mask;
    }

    /** Collects ranges in order, merging one that starts where the previous ended. */
    public static final class Builder {
        private final List<long[]> ranges = new ArrayList<>();

        public Builder add(long from, long to) {
            if (from < 0 || to < from || (!ranges.isEmpty() && from < ranges.get(ranges.size() - 1)[1])) {
                throw new IllegalArgumentException("range [" + from + ", " + to + ") is negative or out of order");
            }
            if (to == from) {
                return this;
            }
            long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
            if (last != null && last[1] == from) {
                last[1] = to;
            } else {
                ranges.add(new long[] {from, to});
            }
            return this;
        }

        public ParameterRanges build(long length) {
            if (!ranges.isEmpty() && ranges.get(ranges.size() - 1)[1] > length) {
                throw new IllegalArgumentException("ranges end at " + ranges.get(ranges.size() - 1)[1] + ", beyond the vector's " + length);
            }
            return new ParameterRanges(length, ranges);
        }
    }
}
