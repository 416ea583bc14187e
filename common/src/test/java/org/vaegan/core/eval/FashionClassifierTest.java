package org.vaegan.core.eval;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classifier learns Fashion-MNIST from a few hundred images, and survives a save and load. */
class FashionClassifierTest {
    @Test
    void learnsFromAFewHundredImagesAndReloadsIdentically() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of(FashionMnist.DEBIAN_DIR)),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist): classifier test skipped");
        Configuration hadoop = new Configuration();
        FashionMnist.Labelled train = FashionMnist.training(FashionMnist.DEBIAN_DIR, 800, hadoop);
        FashionMnist.Labelled test = FashionMnist.test(FashionMnist.DEBIAN_DIR, 300, hadoop);
        FashionClassifier classifier = FashionClassifier.untrained(1);
        double before = classifier.accuracy(test.images(), test.labels());
        classifier.fit(train.images(), train.labels(), 4, 1);
        double after = classifier.accuracy(test.images(), test.labels());
        assertTrue(after > 0.6 && after > before + 0.3, "accuracy " + before + " untrained, " + after + " after 4 epochs of 800 images");

        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        classifier.save(saved);
        FashionClassifier loaded = FashionClassifier.load(new ByteArrayInputStream(saved.toByteArray()));
        assertArrayEquals(classifier.predict(test.images()), loaded.predict(test.images()));
        double[][] features = loaded.features(test.images());
        assertEquals(300, features.length);
        assertEquals(FashionClassifier.FEATURES, features[0].length);
        assertArrayEquals(classifier.features(test.images())[7], features[7], 1e-6);
    }
}
