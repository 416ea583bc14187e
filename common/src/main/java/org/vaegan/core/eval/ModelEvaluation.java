package org.vaegan.core.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaegan.core.config.ModelVariant;
import org.vaegan.core.infer.ModelInference;

import java.time.Instant;

/**
 * The quality figures of a trained model on held-out images, as one JSON object: reconstruction
 * MSE and SSIM; Laplacian variance of real images, reconstructions and samples; Frechet distances
 * to the real images in the classifier's feature space (reconstructions, samples, and one half of
 * the real images against the other as the floor that sampling noise alone gives); the
 * classifier's accuracy on real images and reconstructions (with labels) and how often it gives a
 * reconstruction its original's class.
 */
public final class ModelEvaluation {
    private static final Logger LOG = LoggerFactory.getLogger(ModelEvaluation.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelInference model;
    private final ClassifierStore.Loaded classifier;

    public ModelEvaluation(ModelInference model, ClassifierStore.Loaded classifier) {
        this.model = model;
        this.classifier = classifier;
    }

    /** Evaluates on {@code data}, with as many prior samples as held-out images, drawn with {@code seed}. */
    public ObjectNode evaluate(HeldOutImages data, long seed) {
        long start = System.nanoTime();
        if (data.count() < 2) {
            throw new IllegalArgumentException("evaluation needs at least 2 held-out images, got " + data.count());
        }
        INDArray real = data.images();
        INDArray samples = model.decode(model.priorCodes(data.count(), seed));
        boolean hasEncoder = model.modelConfig().variant() != ModelVariant.GAN;
        INDArray reconstructions = hasEncoder ? model.reconstruct(real) : null;

        FashionClassifier c = classifier.classifier();
        INDArray realInput = ClassifierInput.of(real);
        double[][] realFeatures = c.features(realInput);
        double[][] sampleFeatures = c.features(ClassifierInput.of(samples));

        ObjectNode out = JSON.createObjectNode();
        out.put("round", model.model().round());
        out.put("step", model.model().state().step());
        out.put("model", model.model().checkpoint().toString());
        out.put("data", data.description());
        out.put("images", data.count());
        out.put("samples_seed", seed);
        out.put("evaluated", Instant.now().toString());
        ObjectNode sharpness = out.putObject("laplacian_variance");
        sharpness.put("real", LaplacianVariance.mean(real));
        sharpness.put("samples", LaplacianVariance.mean(samples));
        ObjectNode frechet = out.putObject("frechet_distance");
        frechet.put("samples", FrechetDistance.between(realFeatures, sampleFeatures));
        if (realFeatures.length >= 4) {
            frechet.put("real_halves", realHalves(realFeatures));
        }
        ObjectNode classes = out.putObject("classifier");
        int[] realClasses = c.predict(realInput);
        if (data.labels() != null) {
            classes.put("accuracy_real", FashionClassifier.agreement(realClasses, data.labels()));
        }
        if (reconstructions != null) {
            ObjectNode recon = out.putObject("reconstruction");
            recon.put("mse", reconstructions.squaredDistance(real) / real.length());
            recon.put("ssim", Ssim.mean(real, reconstructions));
            sharpness.put("reconstructions", LaplacianVariance.mean(reconstructions));
            INDArray reconInput = ClassifierInput.of(reconstructions);
            frechet.put("reconstructions", FrechetDistance.between(realFeatures, c.features(reconInput)));
            int[] reconClasses = c.predict(reconInput);
            if (data.labels() != null) {
                classes.put("accuracy_reconstructions", FashionClassifier.agreement(reconClasses, data.labels()));
            }
            classes.put("reconstructions_keep_class", FashionClassifier.agreement(reconClasses, realClasses));
        }
        classes.put("classifier", classifier.location().toString());
        classes.put("test_accuracy", classifier.card().path("test_accuracy").asDouble());
        frechet.put("feature_dim", FashionClassifier.FEATURES);
        out.put("seconds", (System.nanoTime() - start) / 1e9);
        LOG.info("evaluated {} on {} in {}", model.model().checkpoint(), data.description(), out.path("seconds").asDouble());
        return out;
    }

    /** The distance between the first and the second half of the real images: what finite sets give with no model error. */
    private static double realHalves(double[][] features) {
        int half = features.length / 2;
        double[][] a = new double[half][];
        double[][] b = new double[features.length - half][];
        System.arraycopy(features, 0, a, 0, half);
        System.arraycopy(features, half, b, 0, features.length - half);
        return FrechetDistance.between(a, b);
    }
}
