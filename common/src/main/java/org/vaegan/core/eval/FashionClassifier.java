package org.vaegan.core.eval;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.SplittableRandom;

/**
 * A small CNN that classifies Fashion-MNIST (28x28 grey in [-1, 1], 10 classes): conv 5x5 16,
 * max-pool, conv 5x5 32, max-pool, dense {@value #FEATURES} (ReLU), softmax. Its dense layer is
 * the feature space of the Frechet distance, as Inception's pool layer is for FID.
 */
public final class FashionClassifier {
    public static final int CLASSES = 10;
    public static final int FEATURES = 64;
    /** Layer index of the dense feature layer. */
    private static final int FEATURE_LAYER = 4;
    private static final int BATCH = 256;

    private final MultiLayerNetwork net;

    private FashionClassifier(MultiLayerNetwork net) {
        this.net = net;
    }

    public static FashionClassifier untrained(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(32).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(FEATURES).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(ClassifierInput.SIDE, ClassifierInput.SIDE, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return new FashionClassifier(net);
    }

    public static FashionClassifier load(InputStream in) throws IOException {
        return new FashionClassifier(ModelSerializer.restoreMultiLayerNetwork(in, false));
    }

    public void save(OutputStream out) throws IOException {
        ModelSerializer.writeModel(net, out, false);
    }

    /** {@code epochs} passes over images [n, 1, 28, 28] in minibatches of 64, shuffled by {@code seed}. */
    public void fit(INDArray images, int[] labels, int epochs, long seed) {
        int n = labels.length;
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int batch = 64;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                long[] rows = new long[to - from];
                INDArray oneHot = Nd4j.zeros(images.dataType(), rows.length, CLASSES);
                for (int k = 0; k < rows.length; k++) {
                    rows[k] = order[from + k];
                    oneHot.putScalar(k, labels[order[from + k]], 1.0);
                }
                net.fit(images.get(NDArrayIndex.indices(rows)), oneHot);
            }
        }
    }

    /** The dense layer's activations, one row of {@value #FEATURES} per image. */
    public double[][] features(INDArray images) {
        double[][] out = new double[(int) images.size(0)][];
        for (long from = 0; from < images.size(0); from += BATCH) {
            long to = Math.min(images.size(0), from + BATCH);
            INDArray f = net.feedForwardToLayer(FEATURE_LAYER, rows(images, from, to), false).get(FEATURE_LAYER + 1);
            double[][] block = f.toDoubleMatrix();
            System.arraycopy(block, 0, out, (int) from, block.length);
        }
        return out;
    }

    /** The most probable class of each image. */
    public int[] predict(INDArray images) {
        int[] out = new int[(int) images.size(0)];
        for (long from = 0; from < images.size(0); from += BATCH) {
            long to = Math.min(images.size(0), from + BATCH);
            INDArray classes = net.output(rows(images, from, to), false).argMax(1);
            for (int k = 0; k < to - from; k++) {
                out[(int) from + k] = classes.getInt(k);
            }
        }
        return out;
    }

    /** The fraction of images whose predicted class is their label. */
    public double accuracy(INDArray images, int[] labels) {
        return agreement(predict(images), labels);
    }

    /** The fraction of positions where two class lists agree. */
    public static double agreement(int[] a, int[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("class lists of " + a.length + " and " + b.length + " entries");
        }
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        return same / (double) a.length;
    }

    private static INDArray rows(INDArray x, long from, long to) {
        return x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
    }
}
