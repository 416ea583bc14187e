package org.vaegan.core;

import org.vaegan.core.config.ConfigLoader;
import org.vaegan.core.config.VaeganConfig;

import java.util.ArrayList;
import java.util.List;

/** Configurations for tests: the defaults of reference.conf with a tiny model on top. */
public final class TestConfigs {
    private TestConfigs() {
    }

    /** An 8x8 grey model that trains in milliseconds per step. */
    public static VaeganConfig tiny(String... overrides) {
        return tinyLoaded(overrides).config();
    }

    /** {@link #tiny} with the resolved config tree it came from. */
    public static ConfigLoader.Loaded tinyLoaded(String... overrides) {
        List<String> all = new ArrayList<>(List.of(
                "model.image-size=8", "model.channels=1", "model.latent=4",
                "model.encoder-widths=[4, 6]", "model.encoder-fc=8",
                "model.decoder-widths=[6, 4]", "model.discriminator-widths=[3, 5, 6]",
                "model.discriminator-fc=8", "model.dis-l-layer=2",
                "train.batch-size=6", "data.synthetic.images-per-partition=24"));
        all.addAll(List.of(overrides));
        return ConfigLoader.load(null, all);
    }

    public static VaeganConfig defaults(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides)).config();
    }
}
