package org.vaegan.core.data;

import java.io.Serializable;
import java.util.List;

/**
 * What decoding one shard gave: good images written to its cache file, bad files (count and the
 * first few as "path: reason"), and the time it took.
 */
public record DecodeReport(int shard, int images, int bad, List<String> firstBad, double seconds)
        implements Serializable {
    /** Bad files listed per shard; the rest are only counted. */
    public static final int LISTED_BAD = 20;
}
