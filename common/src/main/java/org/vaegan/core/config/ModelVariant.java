package org.vaegan.core.config;

/**
 * The models compared in Larsen et al., trained by the same code (key vaegan.model.variant).
 * Each says which networks take part and which losses reach the decoder.
 */
public enum ModelVariant {
    /** The paper's VAE/GAN: Dis_l likelihood for encoder and decoder, L_GAN for the decoder. */
    VAEGAN("vaegan", true, true, true, true),
    /** A plain VAE with a pixel-wise Gaussian likelihood; no discriminator. */
    VAE("vae", true, false, false, false),
    /** A GAN: the decoder is the generator of prior samples; no encoder. */
    GAN("gan", false, true, true, false),
    /** A VAE with the Dis_l likelihood; the discriminator trains, but sends no L_GAN to the decoder. */
    VAE_DISL("vae-disl", true, true, false, true);

    private final String key;
    private final boolean encoder;
    private final boolean discriminator;
    private final boolean adversarialDecoder;
    private final boolean featureLikelihood;

    ModelVariant(String key, boolean encoder, boolean discriminator, boolean adversarialDecoder, boolean featureLikelihood) {
        this.key = key;
        this.encoder = encoder;
        this.discriminator = discriminator;
        this.adversarialDecoder = adversarialDecoder;
        this.featureLikelihood = featureLikelihood;
    }

    public String key() {
        return key;
    }

    /** Whether an encoder q(z|x) is trained (and reconstructions exist). */
    public boolean hasEncoder() {
        return encoder;
    }

    /** Whether a discriminator is trained (on real images against decoded ones). */
    public boolean hasDiscriminator() {
        return discriminator;
    }

    /** Whether the decoder receives the adversarial gradient of L_GAN. */
    public boolean adversarialDecoder() {
        return adversarialDecoder;
    }

    /** Whether the reconstruction error is L_llike, measured at Dis_l. */
    public boolean featureLikelihood() {
        return featureLikelihood;
    }

    /** Whether the pixel-wise error is this variant's likelihood (weight 1) rather than an extra term. */
    public boolean pixelLikelihood() {
        return this == VAE;
    }

    public static ModelVariant parse(String configKey, String value) {
        StringBuilder valid = new StringBuilder();
        for (ModelVariant v : values()) {
            if (v.key.equals(value)) {
                return v;
            }
            valid.append(valid.length() == 0 ? "" : ", ").append('"').append(v.key).append('"');
        }
        throw new InvalidConfigException(configKey, "must be one of " + valid + ", got \"" + value + "\"");
    }
}
