package org.vaegan.core.data;

import org.vaegan.core.state.SeedMixer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Splits a dataset into evenly sized shards, one per partition: picture files are shuffled with
 * the seed (so a folder per class does not become a shard per class) and dealt out in equal
 * contiguous runs; IDX records are split into equal ranges. Sizes differ by at most one item.
 */
public final class ShardPlan {
    private ShardPlan() {
    }

    public static List<ShardSpec> of(DatasetListing listing, int partitions, long seed, DataCache cache) {
        List<ShardSpec> shards = new ArrayList<>(partitions);
        int items = listing.items();
        if (listing.idx() != null) {
            for (int p = 0; p < partitions; p++) {
                long first = (long) items * p / partitions;
                long end = (long) items * (p + 1) / partitions;
                shards.add(new ShardSpec(p, null, listing.root(), listing.idx().labelsUri(), first, (int) (end - first),
                        cache.shardFile(p).toString()));
            }
            return shards;
        }
        List<DataFile> shuffled = new ArrayList<>(listing.files());
        SplittableRandom rnd = new SplittableRandom(SeedMixer.finalise(seed ^ 0x5DEECE66DL));
        for (int i = shuffled.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            DataFile t = shuffled.get(i);
            shuffled.set(i, shuffled.get(j));
            shuffled.set(j, t);
        }
        for (int p = 0; p < partitions; p++) {
            int first = (int) ((long) items * p / partitions);
            int end = (int) ((long) items * (p + 1) / partitions);
            shards.add(new ShardSpec(p, List.copyOf(shuffled.subList(first, end)), null, null, 0, end - first,
                    cache.shardFile(p).toString()));
        }
        return shards;
    }
}
