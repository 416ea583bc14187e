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
            // One pass over the gradient: this runs every step.
            if (BooleanIndexing.or(e.getValue(), Conditions.notFinite())) {
                return "the gradient of the " + e.getKey().fileName() + " network";
            }
        }
        return null;
    }
}
