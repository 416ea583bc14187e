package org.vaegan.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaegan.core.config.DataConfig;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.io.RunFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The driver's side of a real dataset: list it, check the crop, look for a complete cache of the
 * same data and settings, otherwise have the shards decoded (by whoever runs {@link ShardDecoding}:
 * Spark executors, or this JVM in tests), write the cache manifest, and enforce
 * vaegan.data.max-bad-fraction and the batch size per partition.
 */
public final class DataPreparation {
    private static final Logger LOG = LoggerFactory.getLogger(DataPreparation.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bad files named in the error that stops a job. */
    private static final int NAMED_IN_ERROR = 10;

    /** Decodes shards somewhere and returns one report per shard. */
    public interface ShardDecoding {
        List<DecodeReport> decodeAll(List<ShardSpec> specs) throws IOException;
    }

    private final VaeganConfig config;
    private final Configuration hadoop;

    public DataPreparation(VaeganConfig config, Configuration hadoop) {
        if (config.data().synthetic()) {
            throw new IllegalArgumentException("the synthetic source is drawn, not prepared");
        }
        this.config = config;
        this.hadoop = hadoop;
    }

    /** The cache root: vaegan.data.cache-dir, or data-cache beside the runs. */
    public static Path cacheRoot(VaeganConfig config) {
        String dir = config.data().cacheDir();
        return dir.isBlank() ? new Path(config.output().dir(), "data-cache") : new Path(dir);
    }

    public PreparedData prepare(ShardDecoding decoding) {
        DataConfig data = config.data();
        DatasetListing listing = DatasetListing.list(data, hadoop);
        LOG.info("data: {} {} ({} files, {} bytes, fingerprint {}, {} other files ignored)", listing.source(), listing.root(),
                listing.fingerprint().files(), listing.fingerprint().bytes(), listing.fingerprint().sha256().substring(0, 12),
                listing.ignoredFiles());
        CropProbe.check(listing, data.preprocess(), config.model().imageSize(), config.model().channels(), hadoop);
        int partitions = config.spark().partitions();
        if (listing.items() < (long) partitions * config.train().batchSize()) {
            throw new BadDataException("vaegan.data.path " + listing.root() + " has " + listing.items() + " images, fewer than "
                    + "vaegan.spark.partitions (" + partitions + ") x vaegan.train.batch-size (" + config.train().batchSize() + ")");
        }
        try {
            Path root = cacheRoot(config);
            FileSystem fs = DatasetListing.fileSystem(root, hadoop);
            DataCache cache = DataCache.of(config, listing.fingerprint(), fs.makeQualified(root));
            Manifest manifest = readManifest(fs, cache);
            boolean hit = manifest != null;
            double seconds = 0;
            long decoded = 0;
            if (hit) {
                LOG.info("data: cache hit {} ({} images, nothing to decode)", cache.dir(), manifest.images().stream().mapToInt(i -> i).sum());
            } else {
                List<ShardSpec> specs = ShardPlan.of(listing, partitions, config.train().seed(), cache);
                long began = System.nanoTime();
                List<DecodeReport> reports = new ArrayList<>(decoding.decodeAll(specs));
                seconds = (System.nanoTime() - began) / 1e9;
                reports.sort(Comparator.comparingInt(DecodeReport::shard));
                manifest = Manifest.of(reports);
                decoded = reports.stream().mapToLong(DecodeReport::images).sum();
                LOG.info(String.format(Locale.ROOT, "data: decoded %d images (%d bad) into %s in %.1fs (%.0f images/s)",
                        decoded, manifest.bad(), cache.dir(), seconds, decoded / Math.max(seconds, 1e-9)));
                writeManifest(fs, cache, manifest, listing);
            }
            PreparedData prepared = new PreparedData(listing, cache, shards(cache, manifest), hit, decoded, manifest.bad(),
                    manifest.firstBad(), seconds);
            enforce(prepared);
            return prepared;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the data cache under " + cacheRoot(config), e);
        }
    }

    private void enforce(PreparedData prepared) {
        int items = prepared.listing().items();
        double fraction = (double) prepared.badFiles() / items;
        if (fraction > config.data().maxBadFraction()) {
            List<String> named = prepared.firstBad().subList(0, Math.min(NAMED_IN_ERROR, prepared.firstBad().size()));
            throw new BadDataException(String.format(Locale.ROOT,
                    "%d of %d files under %s are bad (%.2f %%), more than vaegan.data.max-bad-fraction = %s; first bad files:%n  %s",
                    prepared.badFiles(), items, prepared.listing().root(), 100 * fraction, config.data().maxBadFraction(),
                    String.join(System.lineSeparator() + "  ", named)));
        }
        for (CachedShard shard : prepared.shards()) {
            if (shard.images() < config.train().batchSize()) {
                throw new BadDataException("partition " + shard.partition() + " has " + shard.images() + " good images of "
                        + prepared.listing().root() + ", fewer than vaegan.train.batch-size (" + config.train().batchSize()
                        + "): use fewer vaegan.spark.partitions or more data");
            }
        }
    }

    private List<CachedShard> shards(DataCache cache, Manifest manifest) {
        List<CachedShard> shards = new ArrayList<>();
        DataConfig data = config.data();
        for (int p = 0; p < manifest.images().size(); p++) {
            shards.add(new CachedShard(cache.shardFile(p).toString(), p, manifest.images().get(p), config.model().channels(),
                    config.model().imageSize(), data.blockImages(), data.memoryBudgetBytes(), config.train().batchSize(),
                    config.train().seed(), data.preprocess().flip()));
        }
        return shards;
    }

    /** The cache's record of a complete decode; its presence means every shard file is whole. */
    record Manifest(List<Integer> images, int bad, List<String> firstBad) {
        static Manifest of(List<DecodeReport> reports) {
            List<String> firstBad = new ArrayList<>();
            reports.forEach(r -> firstBad.addAll(r.firstBad()));
            return new Manifest(reports.stream().map(DecodeReport::images).toList(),
                    reports.stream().mapToInt(DecodeReport::bad).sum(), List.copyOf(firstBad));
        }
    }

    private Manifest readManifest(FileSystem fs, DataCache cache) throws IOException {
        if (!fs.exists(cache.manifest())) {
            return null;
        }
        JsonNode m = JSON.readTree(RunFiles.readText(fs, cache.manifest()));
        List<Integer> images = new ArrayList<>();
        m.get("images_per_shard").forEach(n -> images.add(n.asInt()));
        List<String> bad = new ArrayList<>();
        m.get("first_bad_files").forEach(n -> bad.add(n.asText()));
        if (images.size() != config.spark().partitions()) {
            return null;
        }
        for (int p = 0; p < images.size(); p++) {
            if (!fs.exists(cache.shardFile(p)) || ShardFile.readHeader(fs, cache.shardFile(p)).images() != images.get(p)) {
                LOG.warn("data: cache {} is incomplete (shard {}); decoding again", cache.dir(), p);
                return null;
            }
        }
        return new Manifest(images, m.get("bad_files").asInt(), bad);
    }

    private void writeManifest(FileSystem fs, DataCache cache, Manifest manifest, DatasetListing listing) throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("key", cache.key());
        m.put("source", listing.source());
        m.put("path", listing.root());
        m.put("fingerprint_sha256", listing.fingerprint().sha256());
        m.put("preprocess", config.data().preprocess().describe());
        m.put("image_size", config.model().imageSize());
        m.put("channels", config.model().channels());
        ArrayNode images = m.putArray("images_per_shard");
        manifest.images().forEach(images::add);
        m.put("bad_files", manifest.bad());
        ArrayNode bad = m.putArray("first_bad_files");
        manifest.firstBad().forEach(bad::add);
        RunFiles.writeAtomically(fs, cache.manifest(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m));
    }
}
