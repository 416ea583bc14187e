package org.vaegan.core.config;

import java.io.Serializable;
import java.util.List;

/** Shape of the encoder, decoder and discriminator (keys under vaegan.model). */
public record ModelConfig(
        ModelVariant variant,
        int imageSize,
        int channels,
        int latent,
        List<Integer> encoderWidths,
        int encoderFc,
        List<Integer> decoderWidths,
        List<Integer> discriminatorWidths,
        int discriminatorFc,
        int disLLayer,
        double logvarClamp,
        double decoderEmaDecay) implements Serializable {

    public ModelConfig {
        encoderWidths = List.copyOf(encoderWidths);
        decoderWidths = List.copyOf(decoderWidths);
        discriminatorWidths = List.copyOf(discriminatorWidths);
        Checks.positive("vaegan.model.image-size", imageSize);
        if (channels != 1 && channels != 3) {
            throw new InvalidConfigException("vaegan.model.channels", "must be 1 (grey) or 3 (RGB), got " + channels);
        }
        Checks.positive("vaegan.model.latent", latent);
        Checks.allPositive("vaegan.model.encoder-widths", encoderWidths, 1);
        Checks.positive("vaegan.model.encoder-fc", encoderFc);
        Checks.allPositive("vaegan.model.decoder-widths", decoderWidths, 2);
        Checks.allPositive("vaegan.model.discriminator-widths", discriminatorWidths, 2);
        Checks.positive("vaegan.model.discriminator-fc", discriminatorFc);
        Checks.positive("vaegan.model.logvar-clamp", logvarClamp);
        if (variant == null) {
            throw new InvalidConfigException("vaegan.model.variant", "must be set");
        }
        if (!(decoderEmaDecay >= 0 && decoderEmaDecay < 1)) {
            throw new InvalidConfigException("vaegan.model.decoder-ema-decay",
                    "must be 0 (off) or a decay in (0, 1) such as 0.999, got " + decoderEmaDecay);
        }
        requireDivisible("vaegan.model.encoder-widths", imageSize, encoderWidths.size());
        requireDivisible("vaegan.model.decoder-widths", imageSize, decoderWidths.size() - 1);
        requireDivisible("vaegan.model.discriminator-widths", imageSize, discriminatorWidths.size() - 1);
        if (disLLayer < 1 || disLLayer > discriminatorWidths.size()) {
            throw new InvalidConfigException("vaegan.model.dis-l-layer",
                    "must name a discriminator convolution, 1.." + discriminatorWidths.size() + ", got " + disLLayer);
        }
    }

    /** Each stride-2 layer halves the image: the size must survive all of them. */
    private void requireDivisible(String key, int size, int halvings) {
        int factor = 1 << halvings;
        if (size % factor != 0 || size / factor < 1) {
            throw new InvalidConfigException(key, halvings + " stride-2 layers need vaegan.model.image-size divisible by "
                    + factor + ", got image-size " + size);
        }
    }

    /** Whether an exponential moving average of the decoder's weights is kept (and used for samples). */
    public boolean decoderEma() {
        return decoderEmaDecay > 0;
    }

    /** Side of the smallest feature map of the encoder. */
    public int encoderBaseSize() {
        return imageSize >> encoderWidths.size();
    }

    /** Side of the decoder's first feature map (after the FC layer). */
    public int decoderBaseSize() {
        return imageSize >> (decoderWidths.size() - 1);
    }

    /** Side of the discriminator's feature map after convolution number {@code layer} (1-based). */
    public int discriminatorSizeAfter(int layer) {
        return imageSize >> (layer - 1);
    }

    public int pixelsPerImage() {
        return channels * imageSize * imageSize;
    }
}
