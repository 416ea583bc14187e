package org.vaegan.core.model;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.NoOp;
import org.vaegan.core.config.ModelConfig;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the encoder, decoder and the discriminator (split at Dis_l) of Larsen et al. from a
 * {@link ModelConfig}. Weights are updated by our own per-group RMSProp, so DL4J's updater is NoOp.
 */
public final class VaeGanModelFactory {
    private static final int KERNEL = 5;
    /** Running statistics: running = decay * old + (1 - decay) * batch, as in the paper's code. */
    private static final double BN_DECAY = 0.9;
    private static final double BN_EPS = 1e-5;

    private final ModelConfig model;
    private final DataType dataType;

    /** A factory of float32 networks, the training precision. */
    public VaeGanModelFactory(ModelConfig model) {
        this(model, DataType.FLOAT);
    }

    /** A factory of networks in {@code dataType}; double precision serves gradient checks. */
    public VaeGanModelFactory(ModelConfig model, DataType dataType) {
        this.model = model;
        this.dataType = dataType;
    }

    /** Builds all four networks with parameters initialised from {@code seed}. */
    public VaeGanNetworks build(long seed) {
        OneDnnSupport.enable();
        Map<Part, MultiLayerNetwork> nets = new EnumMap<>(Part.class);
        nets.put(Part.ENCODER, init(encoder(seed)));
        nets.put(Part.DECODER, init(decoder(seed + 1)));
        nets.put(Part.DIS_FEATURES, init(discriminatorFeatures(seed + 2)));
        nets.put(Part.DIS_HEAD, init(discriminatorHead(seed + 3)));
        // Measured on M2.1: with oneDNN's float batch norm a second backprop after one forward is
        // exact; in double precision (and untested elsewhere) batch norm needs the forward again.
        boolean keepsForwardState = dataType == DataType.FLOAT && OneDnnSupport.buildHasOneDnn();
        return new VaeGanNetworks(model, nets, keepsForwardState);
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        RowChunkedBatchNorm.install(net, BackwardPass.CHUNK_BYTES);
        return net;
    }

    private NeuralNetConfiguration.ListBuilder base(long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .weightInit(new AuthorsUniformInit())
                .updater(new NoOp())
                .convolutionMode(ConvolutionMode.Same)
                .list();
    }

    /**
     * Batch norm, then a ReLU as its own layer: DL4J's BatchNormalization layer ignores the
     * activation set on it (M2.1 returns the normalised values as they are).
     */
    private static void batchNormRelu(NeuralNetConfiguration.ListBuilder b) {
        b.layer(new BatchNormalization.Builder().decay(BN_DECAY).eps(BN_EPS).build());
        b.layer(new InPlaceRelu());
    }

    private static ConvolutionLayer conv(int nOut, int stride, boolean bias, Activation activation) {
        return new ConvolutionLayer.Builder(KERNEL, KERNEL).stride(stride, stride).nOut(nOut)
                .hasBias(bias).activation(activation).build();
    }

    MultiLayerConfiguration encoder(long seed) {
        NeuralNetConfiguration.ListBuilder b = base(seed);
        for (int width : model.encoderWidths()) {
            b.layer(conv(width, 2, false, Activation.IDENTITY));
            batchNormRelu(b);
        }
        b.layer(new DenseLayer.Builder().nOut(model.encoderFc()).hasBias(false).activation(Activation.IDENTITY).build());
        batchNormRelu(b);
        // mu and log-variance side by side: columns [0, latent) and [latent, 2 * latent).
        b.layer(new DenseLayer.Builder().nOut(2L * model.latent()).activation(Activation.IDENTITY).build());
        b.setInputType(InputType.convolutional(model.imageSize(), model.imageSize(), model.channels()));
        return b.build();
    }

    MultiLayerConfiguration decoder(long seed) {
        List<Integer> widths = model.decoderWidths();
        int base = model.decoderBaseSize();
        NeuralNetConfiguration.ListBuilder b = base(seed);
        b.layer(new DenseLayer.Builder().nOut((long) widths.get(0) * base * base).hasBias(false)
                .activation(Activation.IDENTITY).build());
        batchNormRelu(b);
        // Layers 0-2 are the dense layer, its batch norm and ReLU; the transposed convolutions follow.
        b.inputPreProcessor(3, new FeedForwardToCnnPreProcessor(base, base, widths.get(0)));
        for (int i = 1; i < widths.size(); i++) {
            // A 'same' transposed convolution written as explicit padding 1 plus a one-pixel crop at
            // the bottom/right: libnd4j runs only the explicit-padding form on oneDNN (infra note).
            b.layer(new Deconvolution2D.Builder(KERNEL, KERNEL).stride(2, 2).padding(1, 1)
                    .convolutionMode(ConvolutionMode.Truncate).nOut(widths.get(i)).hasBias(false)
                    .activation(Activation.IDENTITY).build());
            b.layer(new Cropping2D(0, 1, 0, 1));
            batchNormRelu(b);
        }
        b.layer(conv(model.channels(), 1, true, Activation.TANH));
        b.setInputType(InputType.feedForward(model.latent()));
        return b.build();
    }

    MultiLayerConfiguration discriminatorFeatures(long seed) {
        NeuralNetConfiguration.ListBuilder b = base(seed);
        List<Integer> widths = model.discriminatorWidths();
        for (int k = 1; k <= model.disLLayer(); k++) {
            if (k > 1) {
                afterConv(b, k - 1);
            }
            b.layer(conv(widths.get(k - 1), k == 1 ? 1 : 2, k == 1, Activation.IDENTITY));
        }
        b.setInputType(InputType.convolutional(model.imageSize(), model.imageSize(), model.channels()));
        return b.build();
    }

    MultiLayerConfiguration discriminatorHead(long seed) {
        NeuralNetConfiguration.ListBuilder b = base(seed);
        List<Integer> widths = model.discriminatorWidths();
        afterConv(b, model.disLLayer());
        for (int k = model.disLLayer() + 1; k <= widths.size(); k++) {
            b.layer(conv(widths.get(k - 1), 2, false, Activation.IDENTITY));
            afterConv(b, k);
        }
        b.layer(new DenseLayer.Builder().nOut(model.discriminatorFc()).hasBias(false).activation(Activation.IDENTITY).build());
        batchNormRelu(b);
        b.layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build());
        int side = model.discriminatorSizeAfter(model.disLLayer());
        b.setInputType(InputType.convolutional(side, side, model.discriminatorWidths().get(model.disLLayer() - 1)));
        return b.build();
    }

    /** The first discriminator convolution has no batch norm (paper Table 1); the others do. */
    private static void afterConv(NeuralNetConfiguration.ListBuilder b, int convNumber) {
        if (convNumber == 1) {
            b.layer(new InPlaceRelu());
        } else {
            batchNormRelu(b);
        }
    }
}
