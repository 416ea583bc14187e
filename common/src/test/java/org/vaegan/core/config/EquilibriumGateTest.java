package org.vaegan.core.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EquilibriumGateTest {
    private final LossConfig.EquilibriumGate gate = new LossConfig.EquilibriumGate(true, 0.68, 0.35);

    @Test
    void balancedScoresUpdateBoth() {
        assertEquals(new LossConfig.Decision(true, true), gate.decide(0.6, 0.7));
    }

    @Test
    void aWinningDiscriminatorIsHeldBack() {
        assertEquals(new LossConfig.Decision(false, true), gate.decide(0.1, 0.7));
        assertEquals(new LossConfig.Decision(false, true), gate.decide(0.7, 0.2));
    }

    @Test
    void aLosingDiscriminatorHoldsTheDecoderBack() {
        assertEquals(new LossConfig.Decision(true, false), gate.decide(1.2, 0.7));
    }

    @Test
    void whenBothWouldBeSkippedBothUpdate() {
        assertEquals(new LossConfig.Decision(true, true), gate.decide(0.1, 1.5));
    }

    @Test
    void disabledGateAlwaysUpdatesBoth() {
        assertEquals(new LossConfig.Decision(true, true), new LossConfig.EquilibriumGate(false, 0.68, 0.35).decide(0.01, 0.01));
    }
}
