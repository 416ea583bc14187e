package org.vaegan.core.loss;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaegan.core.config.LossConfig.GeneratorLoss;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AdversarialLossTest {
    private final INDArray logits = Nd4j.createFromArray(new double[][] {{-2.0}, {0.0}, {0.5}, {3.0}});
    private final AdversarialLoss exact = new AdversarialLoss(0);
    private final AdversarialLoss authors = new AdversarialLoss(1e-3);

    @Test
    void termsMatchHandComputedLogs() {
        INDArray zero = Nd4j.createFromArray(new double[][] {{0.0}});
        // D(0) = 1/2: -log D = -log(1 - D) = ln 2
        assertEquals(Math.log(2), AdversarialLoss.mean(exact.realTerms(zero)), 1e-12);
        assertEquals(Math.log(2), AdversarialLoss.mean(exact.fakeTerms(zero)), 1e-12);
        double d = 1 / (1 + Math.exp(-3.0));
        INDArray three = Nd4j.createFromArray(new double[][] {{3.0}});
        assertEquals(-Math.log(d), AdversarialLoss.mean(exact.realTerms(three)), 1e-12);
        assertEquals(-Math.log(1 - d), AdversarialLoss.mean(exact.fakeTerms(three)), 1e-12);
        assertEquals(-Math.log(d + 1e-3), AdversarialLoss.mean(authors.realTerms(three)), 1e-12);
        assertEquals(-Math.log(1 - d + 1e-3), AdversarialLoss.mean(authors.fakeTerms(three)), 1e-12);
    }

    @Test
    void farLogitsStayFinite() {
        INDArray far = Nd4j.createFromArray(new double[][] {{-200.0}, {200.0}});
        assertEquals(100.0, AdversarialLoss.mean(exact.realTerms(far)), 1e-9);
        assertEquals(100.0, AdversarialLoss.mean(exact.fakeTerms(far)), 1e-9);
        // eps caps each term at -log(eps).
        assertEquals((-Math.log(1e-3) - Math.log(1 + 1e-3)) / 2, AdversarialLoss.mean(authors.realTerms(far)), 1e-9);
    }

    @Test
    void discriminatorGradientsMatchFiniteDifferences() {
        for (AdversarialLoss loss : new AdversarialLoss[] {exact, authors}) {
            FiniteDifferences.assertGradient(l -> AdversarialLoss.mean(loss.realTerms(l)), logits,
                    loss.discriminatorGradReal(logits));
            FiniteDifferences.assertGradient(l -> AdversarialLoss.mean(loss.fakeTerms(l)), logits,
                    loss.discriminatorGradFake(logits));
        }
    }

    @Test
    void generatorGradientsMatchFiniteDifferencesOfTheirValues() {
        for (AdversarialLoss loss : new AdversarialLoss[] {exact, authors}) {
            for (GeneratorLoss form : GeneratorLoss.values()) {
                FiniteDifferences.assertGradient(l -> loss.generatorValue(l, form), logits, loss.generatorGrad(logits, form));
            }
        }
    }

    @Test
    void saturatingGeneratorIsTheNegatedDiscriminatorFakeTerm() {
        assertEquals(-AdversarialLoss.mean(authors.fakeTerms(logits)),
                authors.generatorValue(logits, GeneratorLoss.SATURATING), 1e-12);
    }
}
