package org.vaegan.core.model;

/** The four networks of the VAE/GAN; each is one DL4J network with one flat parameter vector. */
public enum Part {
    ENCODER("encoder"),
    DECODER("decoder"),
    /** Discriminator layers up to and including Dis_l (pre-BN output of the Dis_l convolution). */
    DIS_FEATURES("dis-features"),
    /** Discriminator layers after Dis_l, ending in a single logit. */
    DIS_HEAD("dis-head");

    private final String fileName;

    Part(String fileName) {
        this.fileName = fileName;
    }

    /** Stable name used in checkpoint files and metrics. */
    public String fileName() {
        return fileName;
    }
}
