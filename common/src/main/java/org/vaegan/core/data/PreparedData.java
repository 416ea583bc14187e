package org.vaegan.core.data;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A dataset ready to train on: its listing and fingerprint, where its decoded shards are cached,
 * one {@link CachedShard} per partition, and what preparing it cost (nothing decoded on a cache hit).
 */
public record PreparedData(DatasetListing listing, DataCache cache, List<CachedShard> shards, boolean cacheHit,
                           long decodedImages, int badFiles, List<String> firstBad, double decodeSeconds) {

    public long images() {
        return shards.stream().mapToLong(CachedShard::images).sum();
    }

    /** The "data" object of run.json. */
    public void describe(ObjectNode data) {
        data.put("source", listing.source());
        data.put("path", listing.root());
        ObjectNode fp = data.putObject("fingerprint");
        fp.put("files", listing.fingerprint().files());
        fp.put("bytes", listing.fingerprint().bytes());
        fp.put("newest_modified", listing.fingerprint().newestModified());
        fp.put("sha256", listing.fingerprint().sha256());
        data.put("ignored_files", listing.ignoredFiles());
        if (!listing.labelNames().isEmpty()) {
            ArrayNode labels = data.putArray("labels");
            listing.labelNames().forEach(labels::add);
        }
        data.put("images", images());
        data.put("bad_files", badFiles);
        ArrayNode bad = data.putArray("first_bad_files");
        firstBad.forEach(bad::add);
        ArrayNode perShard = data.putArray("images_per_partition");
        shards.forEach(s -> perShard.add(s.images()));
        ObjectNode cacheNode = data.putObject("cache");
        cacheNode.put("dir", cache.dir().toString());
        cacheNode.put("key", cache.key());
        cacheNode.put("hit", cacheHit);
        cacheNode.put("decoded_images", decodedImages);
        cacheNode.put("decode_seconds", decodeSeconds);
    }
}
