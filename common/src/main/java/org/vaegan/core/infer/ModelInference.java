package org.vaegan.core.infer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaegan.core.config.ModelConfig;
import org.vaegan.core.io.ModelPathException;
import org.vaegan.core.io.TrainedModel;
import org.vaegan.core.train.Replica;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The latent-space operations of a trained model, in inference mode (batch norm with its running
 * statistics) and in batches of {@value #BATCH}: codes from the prior, encoding to the posterior
 * means, decoding (with the decoder's moving average when the model kept one), interpolation
 * between codes and attribute vectors (Larsen et al., section 5: the mean code of images with an
 * attribute minus the mean code of images without it).
 */
public final class ModelInference {
    private static final Logger LOG = LoggerFactory.getLogger(ModelInference.class);
    static final int BATCH = 64;

    private final TrainedModel model;
    private final Replica replica;

    public ModelInference(TrainedModel model) {
        this.model = model;
        this.replica = new Replica(model.config());
        try {
            replica.load(model.state());
        } catch (IllegalArgumentException e) {
            throw new ModelPathException("model " + model.checkpoint() + ": its weights do not fit its config: " + e.getMessage(), e);
        }
        if (model.state().decoderEma() != null) {
            LOG.info("decoding with the decoder's moving average");
        }
    }

    public TrainedModel model() {
        return model;
    }

    public ModelConfig modelConfig() {
        return model.config().model();
    }

    /** {@code n} codes drawn from N(0, I), the same for the same seed and latent size. */
    public INDArray priorCodes(int n, long seed) {
        int latent = modelConfig().latent();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] z = new float[n * latent];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rnd.nextGaussian();
        }
        return Nd4j.create(z, new long[] {n, latent}, 'c');
    }

    /** Images [n, C, S, S] in [-1, 1] decoded from codes [n, latent]. */
    public INDArray decode(INDArray z) {
        List<INDArray> parts = new ArrayList<>();
        for (long from = 0; from < z.size(0); from += BATCH) {
            parts.add(replica.decode(rows(z, from, Math.min(z.size(0), from + BATCH))));
        }
        return concat(parts);
    }

    /** The posterior means [n, latent] of images [n, C, S, S]. */
    public INDArray encode(INDArray x) {
        requireEncoder();
        List<INDArray> parts = new ArrayList<>();
        for (long from = 0; from < x.size(0); from += BATCH) {
            parts.add(replica.encodeMean(rows(x, from, Math.min(x.size(0), from + BATCH))));
        }
        return concat(parts);
    }

    /** Images decoded from their own posterior means. */
    public INDArray reconstruct(INDArray x) {
        return decode(encode(x));
    }

    /** {@code steps} images decoded at evenly spaced points from the code of {@code from} to that of {@code to}, both ends included. */
    public INDArray interpolate(INDArray from, INDArray to, int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("an interpolation needs at least 2 steps, got " + steps);
        }
        INDArray a = encode(from);
        INDArray b = encode(to);
        INDArray z = Nd4j.create(a.dataType(), steps, a.size(1));
        for (int i = 0; i < steps; i++) {
            double t = i / (double) (steps - 1);
            z.getRow(i).assign(a.mul(1 - t).addi(b.mul(t)).reshape(a.size(1)));
        }
        return decode(z);
    }

    /** The mean posterior mean [1, latent] over every picture of {@code images}, read a batch at a time. */
    public INDArray meanCode(InputImages images) throws IOException {
        requireEncoder();
        INDArray sum = Nd4j.zeros(DataType.FLOAT, 1, modelConfig().latent());
        for (int from = 0; from < images.count(); from += BATCH) {
            INDArray codes = replica.encodeMean(images.load(from, Math.min(images.count(), from + BATCH)));
            sum.addi(codes.sum(true, 0));
        }
        return sum.divi(images.count());
    }

    /** The attribute vector [1, latent]: mean code of the images with the attribute minus that of those without. */
    public INDArray attributeVector(InputImages with, InputImages without) throws IOException {
        return meanCode(with).subi(meanCode(without));
    }

    /** Images decoded from their codes moved by {@code scale} times {@code vector}. */
    public INDArray edit(INDArray x, INDArray vector, double scale) {
        return decode(encode(x).addiRowVector(vector.mul(scale)));
    }

    /** Mean over every pixel of the squared difference (pixels in [-1, 1]). */
    public static double meanSquaredError(INDArray a, INDArray b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("shapes differ: " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
        INDArray difference = a.sub(b);
        return difference.mul(difference).sumNumber().doubleValue() / a.length();
    }

    private void requireEncoder() {
        if (!modelConfig().variant().hasEncoder()) {
            throw new InferenceInputException("model " + model.checkpoint() + " is a \"" + modelConfig().variant().key()
                    + "\" model (vaegan.model.variant), which has no encoder: reconstruct, interpolate and attribute"
                    + " need one; sample works");
        }
    }

    private static INDArray rows(INDArray x, long from, long to) {
        return from == 0 && to == x.size(0) ? x : x.get(NDArrayIndex.interval(from, to)).dup();
    }

    private static INDArray concat(List<INDArray> parts) {
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }
}
