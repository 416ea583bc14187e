package org.vaegan.core.infer;

import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.Shard;
import org.vaegan.core.io.TrainedModel;
import org.vaegan.core.train.Replica;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The grids of the inference commands have the documented sizes; the latent operations do what they say. */
class InferencePicturesTest {
    /** The tiny test model: 8x8 grey, so a cell is 2 * 8 + 2 = 18 pixels. */
    private static final int CELL = 18;

    @Test
    void samplesAreASquarishGridAndTheSeedFixesThem() throws Exception {
        InferencePictures pictures = new InferencePictures(inference(TestConfigs.tiny()));
        InferencePictures.Picture ten = pictures.samples(10, 1);
        assertSize(4 * CELL, 3 * CELL, ten);
        assertSize(8 * CELL, 8 * CELL, pictures.samples(64, 1));
        assertArrayEquals(ten.png(), pictures.samples(10, 1).png(), "same seed, same picture");
        assertFalse(Arrays.equals(ten.png(), pictures.samples(10, 2).png()), "another seed, other samples");
    }

    @Test
    void reconstructionsAreRowPairsOfEight() throws Exception {
        ModelInference model = inference(TestConfigs.tiny());
        InferencePictures.Reconstructions ten = new InferencePictures(model).reconstructions(images(10, 0));
        assertSize(8 * CELL, 4 * CELL, ten.picture());
        assertTrue(Double.isFinite(ten.meanSquaredError()) && ten.meanSquaredError() > 0, "MSE " + ten.meanSquaredError());
        assertSize(3 * CELL, 2 * CELL, new InferencePictures(model).reconstructions(images(3, 0)).picture());
        // More images than one batch: decoded in batches, the same as one at a time (inference mode).
        INDArray many = images(ModelInference.BATCH + 5, 0);
        INDArray all = model.reconstruct(many);
        INDArray last = model.reconstruct(many.get(NDArrayIndex.interval(ModelInference.BATCH, ModelInference.BATCH + 5)).dup());
        assertTrue(all.get(NDArrayIndex.interval(ModelInference.BATCH, ModelInference.BATCH + 5)).equalsWithEps(last, 1e-5));
    }

    @Test
    void interpolationIsOneRowWhoseEndsAreTheReconstructions() throws Exception {
        ModelInference model = inference(TestConfigs.tiny());
        INDArray from = images(1, 0);
        INDArray to = images(1, 1);
        assertSize(7 * CELL, CELL, new InferencePictures(model).interpolation(from, to, 5));
        INDArray path = model.interpolate(from, to, 5);
        assertEquals(5, path.size(0));
        assertTrue(path.get(NDArrayIndex.point(0)).equalsWithEps(model.reconstruct(from).get(NDArrayIndex.point(0)), 1e-5));
        assertTrue(path.get(NDArrayIndex.point(4)).equalsWithEps(model.reconstruct(to).get(NDArrayIndex.point(0)), 1e-5));
        assertThrows(IllegalArgumentException.class, () -> model.interpolate(from, to, 1));
    }

    @Test
    void attributeEditsAreRowTriplesAndScaleZeroIsTheReconstruction() throws Exception {
        ModelInference model = inference(TestConfigs.tiny());
        INDArray x = images(3, 0);
        INDArray vector = model.encode(images(4, 10)).mean(true, 0).subi(model.encode(images(4, 20)).mean(true, 0));
        assertSize(3 * CELL, 3 * CELL, new InferencePictures(model).attributeEdits(x, vector, 1.0));
        assertSize(8 * CELL, 6 * CELL, new InferencePictures(model).attributeEdits(images(9, 0), vector, 1.0));
        assertTrue(model.edit(x, vector, 0).equalsWithEps(model.reconstruct(x), 1e-5));
        assertFalse(model.edit(x, vector, 2).equalsWithEps(model.reconstruct(x), 1e-5));
    }

    @Test
    void aGanHasNoEncoderForReconstructions() throws Exception {
        ModelInference gan = inference(TestConfigs.tiny("model.variant=gan"));
        InferenceInputException e = assertThrows(InferenceInputException.class, () -> gan.reconstruct(images(2, 0)));
        assertTrue(e.getMessage().contains("\"gan\"") && e.getMessage().contains("no encoder"), e.getMessage());
        assertSize(2 * CELL, CELL, new InferencePictures(gan).samples(2, 1));
    }

    @Test
    void theDecoderMovingAverageIsWhatDecodes() {
        VaeganConfig config = TestConfigs.tiny("model.decoder-ema-decay=0.5");
        Replica replica = new Replica(config);
        ModelInference withEma = new ModelInference(new TrainedModel(new Path("file:/m"), TrainedModel.Shape.CHECKPOINT,
                new Path("file:/m"), 1, config, replica.snapshot(), null, null));
        INDArray z = withEma.priorCodes(3, 1);
        assertTrue(withEma.decode(z).equalsWithEps(replica.decode(z), 1e-6));
    }

    private static ModelInference inference(VaeganConfig config) {
        return new ModelInference(new TrainedModel(new Path("file:/m"), TrainedModel.Shape.CHECKPOINT, new Path("file:/m"), 1,
                config, new Replica(config).snapshot(), null, null));
    }

    private static INDArray images(int n, int partition) {
        return Shard.synthetic(partition, n, 1, 8, 1).batch(java.util.stream.IntStream.range(0, n).toArray());
    }

    private static void assertSize(int width, int height, InferencePictures.Picture picture) throws Exception {
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(picture.png()));
        assertEquals(width, png.getWidth(), "width");
        assertEquals(height, png.getHeight(), "height");
        assertEquals(width, picture.width());
        assertEquals(height, picture.height());
    }
}
