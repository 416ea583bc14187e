package org.vaegan.core.loss;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaegan.core.config.LossConfig.GeneratorLoss;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AdversarialLossTest {
    private final INDArray logits = Nd4j.createFromArray(new double[][] {{-2.0}, {0.0}, {0.5}, {3.0}});

    @Test
    void termsMatchHandComputedLogs() {
        INDArray zero = Nd4j.createFromArray(new double[][] {{0.0}});
        // D(0) = 1/2: -log D = -log(1 - D) = ln 2
        assertEquals(Math.log(2), AdversarialLoss.mean(AdversarialLoss.realTerms(zero)), 1e-12);
        assertEquals(Math.log(2), AdversarialLoss.mean(AdversarialLoss.fakeTerms(zero)), 1e-12);
        double d = 1 / (1 + Math.exp(-3.0));
        INDArray three = Nd4j.createFromArray(new double[][] {{3.0}});
        assertEquals(-Math.log(d), AdversarialLoss.mean(AdversarialLoss.realTerms(three)), 1e-12);
        assertEquals(-Math.log(1 - d), AdversarialLoss.mean(AdversarialLoss.fakeTerms(three)), 1e-12);
    }

    @Test
    void farLogitsStayFinite() {
        INDArray far = Nd4j.createFromArray(new double[][] {{-200.0}, {200.0}});
        assertEquals(100.0, AdversarialLoss.mean(AdversarialLoss.realTerms(far)), 1e-9);
        assertEquals(100.0, AdversarialLoss.mean(AdversarialLoss.fakeTerms(far)), 1e-9);
    }

    @Test
    void discriminatorGradientsMatchFiniteDifferences() {
        FiniteDifferences.assertGradient(l -> AdversarialLoss.mean(AdversarialLoss.realTerms(l)), logits,
                AdversarialLoss.discriminatorGradReal(logits));
        FiniteDifferences.assertGradient(l -> AdversarialLoss.mean(AdversarialLoss.fakeTerms(l)), logits,
                AdversarialLoss.discriminatorGradFake(logits));
    }

    @Test
    void generatorGradientsMatchFiniteDifferencesOfTheirValues() {
        for (GeneratorLoss form : GeneratorLoss.values()) {
            FiniteDifferences.assertGradient(l -> AdversarialLoss.generatorValue(l, form), logits,
                    AdversarialLoss.generatorGrad(logits, form));
        }
    }

    @Test
    void saturatingGeneratorIsTheNegatedDiscriminatorFakeTerm() {
        assertEquals(-AdversarialLoss.mean(AdversarialLoss.fakeTerms(logits)),
                AdversarialLoss.generatorValue(logits, GeneratorLoss.SATURATING), 1e-12);
    }
}
