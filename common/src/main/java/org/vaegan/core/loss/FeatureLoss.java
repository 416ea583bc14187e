package org.vaegan.core.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * L_llike: the learned similarity of the paper, 1/2 * sum((Dis_l(x~) - Dis_l(x))^2), summed over
 * the Dis_l features and the images of the batch. Dis_l(x) is the target: no gradient flows to it.
 */
public final class FeatureLoss {
    private FeatureLoss() {
    }

    public static double value(INDArray reconstructionFeatures, INDArray realFeatures) {
        INDArray diff = reconstructionFeatures.sub(realFeatures);
        return 0.5 * diff.mul(diff).sumNumber().doubleValue();
    }

    /** dL_llike/dDis_l(x~) = Dis_l(x~) - Dis_l(x). */
    public static INDArray gradReconstruction(INDArray reconstructionFeatures, INDArray realFeatures) {
        return reconstructionFeatures.sub(realFeatures);
    }
}
