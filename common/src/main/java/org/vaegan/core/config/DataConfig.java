package org.vaegan.core.config;

import java.io.Serializable;
import java.util.List;

/**
 * Where training images come from and how they are prepared (keys under vaegan.data).
 *
 * @param source                       "synthetic", "images" (folder tree of JPEG/PNG) or "idx" (MNIST format)
 * @param path                         Hadoop FileSystem URI or local path of the folder (images) or the
 *                                     IDX images file (idx); unused for synthetic
 * @param syntheticImagesPerPartition  images each partition draws (synthetic)
 * @param labelsFromFolders            images: the first sub-folder under path names the label
 * @param idxLabels                    idx: optional IDX labels file ("" for none)
 * @param preprocess                   crop, resize, flip
 * @param cacheDir                     where decoded shards are kept ("" = ${output.dir}/data-cache)
 * @param memoryBudgetMiB              decoded bytes a partition may hold in memory at once
 * @param blockImages                  images per block, the unit of streaming from the cache
 * @param maxBadFraction               bad files tolerated before the job stops
 */
public record DataConfig(
        String source,
        String path,
        int syntheticImagesPerPartition,
        boolean labelsFromFolders,
        String idxLabels,
        PreprocessConfig preprocess,
        String cacheDir,
        int memoryBudgetMiB,
        int blockImages,
        double maxBadFraction) implements Serializable {
    public static final String SYNTHETIC = "synthetic";
    public static final String IMAGES = "images";
    public static final String IDX = "idx";
    public static final List<String> SOURCES = List.of(SYNTHETIC, IMAGES, IDX);

    public DataConfig {
        if (!SOURCES.contains(source)) {
            throw new InvalidConfigException("vaegan.data.source", "must be one of " + SOURCES + ", got \"" + source + "\"");
        }
        Checks.positive("vaegan.data.synthetic.images-per-partition", syntheticImagesPerPartition);
        if (!SYNTHETIC.equals(source)) {
            Checks.notBlank("vaegan.data.path", path);
        }
        Checks.positive("vaegan.data.memory-budget-mib", memoryBudgetMiB);
        Checks.positive("vaegan.data.block-images", blockImages);
        if (!(maxBadFraction >= 0 && maxBadFraction <= 1)) {
            throw new InvalidConfigException("vaegan.data.max-bad-fraction", "must lie in [0, 1], got " + maxBadFraction);
        }
    }

    public boolean synthetic() {
        return SYNTHETIC.equals(source);
    }

    public long memoryBudgetBytes() {
        return memoryBudgetMiB * 1024L * 1024L;
    }
}
