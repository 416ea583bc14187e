package org.vaegan.core.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.vaegan.core.model.Part;

import java.util.EnumMap;
import java.util.Map;

/**
 * One step's parameter gradient per network, each from its group's objective, and the losses.
 * A network the variant does not train (the GAN's encoder, the VAE's discriminator) has none.
 */
public record RoutedGradients(Map<Part, INDArray> gradients, StepLosses losses) {
    public RoutedGradients {
        gradients = new EnumMap<>(gradients);
    }

    /** The gradient of {@code part}, or null when this step trains no such network. */
    public INDArray gradient(Part part) {
        return gradients.get(part);
    }

    /**
     * What went wrong, or null when every loss and every gradient entry is finite: the name of
     * the first non-finite loss, else the first network whose gradient holds NaN or infinity.
     */
    public String firstNonFinite() {
        String badLoss = losses.firstNonFinite();
        if (badLoss != null) {
            return badLoss;
        }
        for (Map.Entry<Part, INDArray> e : gradients.entrySet()) {
            // This runs every step: a sum (one vectorized pass) is non-finite whenever an entry is;
            // libnd4j's per-entry condition took 9 times as long (100 ms against 11 on 100 MB).
            // The exact check then rules out a sum that only overflowed.
            INDArray g = e.getValue();
            if (!Double.isFinite(g.sumNumber().doubleValue()) && BooleanIndexing.or(g, Conditions.notFinite())) {
                return "the gradient of the " + e.getKey().fileName() + " network";
            }
        }
        return null;
    }
}
