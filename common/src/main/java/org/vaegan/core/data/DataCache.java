package org.vaegan.core.data;

import org.apache.hadoop.fs.Path;
import org.vaegan.core.config.DataConfig;
import org.vaegan.core.config.VaeganConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Where the decoded shards of one (dataset, preprocessing, partitioning) live:
 * {@code <cache-dir>/<key>/shard-00000.u8 ...} and {@code manifest.json}, written last by the
 * driver once every shard is complete. The key hashes the data fingerprint with every setting
 * that changes the decoded bytes or their split, so different data or settings never share files.
 */
public final class DataCache {
    /** Bumped when the shard file format or the preprocessing code changes the bytes. */
    static final int FORMAT_VERSION = 1;

    private final Path dir;
    private final String key;

    public DataCache(Path cacheRoot, String key) {
        this.key = key;
        this.dir = new Path(cacheRoot, key);
    }

    public static DataCache of(VaeganConfig config, DataFingerprint fingerprint, Path cacheRoot) {
        DataConfig data = config.data();
        String description = "format=" + FORMAT_VERSION
                + " source=" + data.source()
                + " data=" + fingerprint.sha256()
                + " size=" + config.model().imageSize()
                + " channels=" + config.model().channels()
                + " labels-from-folders=" + data.labelsFromFolders()
                + " idx-labels=" + data.idxLabels()
                + " partitions=" + config.spark().partitions()
                + " seed=" + config.train().seed()
                + " " + data.preprocess().describe();
        MessageDigest digest = DataFingerprint.newDigest();
        String key = HexFormat.of().formatHex(digest.digest(description.getBytes(StandardCharsets.UTF_8))).substring(0, 24);
        return new DataCache(cacheRoot, key);
    }

    public String key() {
        return key;
    }

    public Path dir() {
        return dir;
    }

    public Path shardFile(int partition) {
        return new Path(dir, String.format("shard-%05d.u8", partition));
    }

    public Path manifest() {
        return new Path(dir, "manifest.json");
    }
}
