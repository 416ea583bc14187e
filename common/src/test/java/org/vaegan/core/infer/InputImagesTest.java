package org.vaegan.core.infer;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.TestPictures;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputImagesTest {
    private final VaeganConfig config = TestConfigs.tiny();

    @Test
    void aFolderIsSearchedRecursivelyAndPreprocessedAsTrainingWas(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("in/sub"));
        Files.write(dir.resolve("in/b.png"), TestPictures.encode(TestPictures.picture(24, 16, 1), "png"));
        Files.write(dir.resolve("in/sub/a.jpg"), TestPictures.encode(TestPictures.picture(16, 16, 2), "jpg"));
        Files.writeString(dir.resolve("in/README.txt"), "not a picture");
        InputImages images = InputImages.open(dir.resolve("in").toString(), "--images", new Configuration(), config);
        assertEquals(2, images.count());
        assertTrue(images.files().get(0).getName().equals("b.png") && images.files().get(1).getName().equals("a.jpg"),
                "sorted by path: " + images.files());
        INDArray batch = images.loadFirst(10);
        // 24x16 and 16x16 RGB pictures -> centre crop 16x16 -> area resize to the model's 8x8 grey.
        assertArrayEquals(new long[] {2, 1, 8, 8}, batch.shape());
        assertTrue(batch.minNumber().doubleValue() >= -1 && batch.maxNumber().doubleValue() <= 1);
        assertEquals(1, images.loadFirst(1).size(0));

        InputImages one = InputImages.open(dir.resolve("in/b.png").toString(), "--from", new Configuration(), config);
        assertEquals(1, one.count());
        assertTrue(one.loadFirst(1).equalsWithEps(batch.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)), 1e-6));
    }

    @Test
    void unusableInputsNameThemselves(@TempDir Path dir) throws Exception {
        InferenceInputException missing = assertThrows(InferenceInputException.class,
                () -> InputImages.open(dir.resolve("nope").toString(), "--with", new Configuration(), config));
        assertTrue(missing.getMessage().startsWith("--with: ") && missing.getMessage().contains("does not exist"), missing.getMessage());
        Files.createDirectories(dir.resolve("empty"));
        Files.writeString(dir.resolve("empty/notes.txt"), "x");
        InferenceInputException empty = assertThrows(InferenceInputException.class,
                () -> InputImages.open(dir.resolve("empty").toString(), "--images", new Configuration(), config));
        assertTrue(empty.getMessage().contains("no JPEG or PNG"), empty.getMessage());
        Files.writeString(dir.resolve("fake.png"), "text, not a picture");
        InputImages fake = InputImages.open(dir.resolve("fake.png").toString(), "--to", new Configuration(), config);
        InferenceInputException bad = assertThrows(InferenceInputException.class, () -> fake.loadFirst(1));
        assertTrue(bad.getMessage().contains("fake.png") && bad.getMessage().contains("not a picture"), bad.getMessage());
    }
}
