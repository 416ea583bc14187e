package org.vaegan.core.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaegan.core.model.Part;

import java.util.EnumMap;
import java.util.Map;

/** One step's parameter gradient per network, each from its group's objective, and the losses. */
public record RoutedGradients(Map<Part, INDArray> gradients, StepLosses losses) {
    public RoutedGradients {
        gradients = new EnumMap<>(gradients);
    }

    public INDArray gradient(Part part) {
        return gradients.get(part);
    }
}
