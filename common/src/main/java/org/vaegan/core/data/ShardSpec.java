package org.vaegan.core.data;

import java.io.Serializable;
import java.util.List;

/**
 * What one partition decodes: a list of picture files (images), or a range of IDX records
 * [first, first + count), and where its cache file goes.
 */
public record ShardSpec(int index, List<DataFile> files, String idxImages, String idxLabels, long first, int count,
                        String cacheFile) implements Serializable {
}
