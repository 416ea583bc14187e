package org.vaegan.core.benchmark;

import org.vaegan.core.config.ModelConfig;

import java.util.List;

/**
 * Analytic arithmetic of the model, from its configuration: multiply-accumulates of the
 * convolutions, transposed convolutions and dense layers (batch norm and activations are left
 * out: they are a few percent). A training step of Algorithm 1 needs, per real image, forward and
 * backward (3x the forward cost) of the encoder once, the decoder twice (Dec(z), Dec(z_p)) and the
 * discriminator three times (x, Dec(z), Dec(z_p)). Both the DL4J step and its PyTorch peer are
 * measured against this same count, so their GFLOP/s compare like images/s.
 */
public final class ModelCost {
    private static final long KERNEL_AREA = 25;

    private final ModelConfig model;

    public ModelCost(ModelConfig model) {
        this.model = model;
    }

    public long encoderMacs() {
        long macs = 0;
        int side = model.imageSize();
        int in = model.channels();
        for (int width : model.encoderWidths()) {
            side /= 2;
            macs += (long) side * side * width * in * KERNEL_AREA;
            in = width;
        }
        macs += (long) in * side * side * model.encoderFc();
        macs += (long) model.encoderFc() * 2 * model.latent();
        return macs;
    }

    public long decoderMacs() {
        List<Integer> widths = model.decoderWidths();
        int side = model.decoderBaseSize();
        long macs = (long) model.latent() * widths.get(0) * side * side;
        for (int i = 1; i < widths.size(); i++) {
            // A transposed convolution scatters every input pixel through a full kernel.
            macs += (long) side * side * widths.get(i - 1) * widths.get(i) * KERNEL_AREA;
            side *= 2;
        }
        macs += (long) side * side * widths.get(widths.size() - 1) * model.channels() * KERNEL_AREA;
        return macs;
    }

    public long discriminatorMacs() {
        List<Integer> widths = model.discriminatorWidths();
        int side = model.imageSize();
        int in = model.channels();
        long macs = 0;
        for (int k = 0; k < widths.size(); k++) {
            if (k > 0) {
                side /= 2;
            }
            macs += (long) side * side * widths.get(k) * in * KERNEL_AREA;
            in = widths.get(k);
        }
        macs += (long) in * side * side * model.discriminatorFc() + model.discriminatorFc();
        return macs;
    }

    /** Floating-point operations of one training step, per real image (2 per MAC). */
    public double trainingFlopsPerImage() {
        return 2.0 * 3.0 * (encoderMacs() + 2.0 * decoderMacs() + 3.0 * discriminatorMacs());
    }
}
