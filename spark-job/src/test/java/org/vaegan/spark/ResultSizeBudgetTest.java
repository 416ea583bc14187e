package org.vaegan.spark;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.vaegan.core.config.InvalidConfigException;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultSizeBudgetTest {
    private static final long PAPER_64_STATE = 406_400_000L;

    @Test
    void fewPartitionsAllReachTheDriverManyAreReducedOnExecutorsFirst() {
        assertEquals(1, ResultSizeBudget.updatesAtDriver(1, 2));
        assertEquals(2, ResultSizeBudget.updatesAtDriver(2, 2));
        // scale 2: 4 > 2 + 2 is false, no extra level
        assertEquals(4, ResultSizeBudget.updatesAtDriver(4, 2));
        // scale 3: 8 > 3 + 3, one level of 8 / 3 = 2 partitions
        assertEquals(2, ResultSizeBudget.updatesAtDriver(8, 2));
        // scale 10: 100 > 10 + 10, then 10 > 10 + 1 is false
        assertEquals(10, ResultSizeBudget.updatesAtDriver(100, 2));
        // depth 1 never adds a level
        assertEquals(8, ResultSizeBudget.updatesAtDriver(8, 1));
    }

    @Test
    void sparksDefaultCapRefusesThreePaperSizedUpdatesNamingTheKeyAndTheValueToSet() {
        SparkConf conf = new SparkConf(false);
        assertDoesNotThrow(() -> ResultSizeBudget.check(conf, 2, 2, PAPER_64_STATE));
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ResultSizeBudget.check(conf, 3, 2, PAPER_64_STATE));
        assertTrue(e.getMessage().contains("spark.driver.maxResultSize"), e.getMessage());
        assertTrue(e.getMessage().contains("3 partition update(s)"), e.getMessage());
        assertTrue(e.getMessage().contains("at least 1166m"), e.getMessage());
        assertDoesNotThrow(() -> ResultSizeBudget.check(conf.clone().set(ResultSizeBudget.KEY, "1166m"), 3, 2, PAPER_64_STATE));
        assertDoesNotThrow(() -> ResultSizeBudget.check(conf.clone().set(ResultSizeBudget.KEY, "0"), 64, 2, PAPER_64_STATE));
    }
}
