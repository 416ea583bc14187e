package org.vaegan.core.eval;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaegan.core.data.DatasetListing;
import org.vaegan.core.data.IdxFile;

import java.io.IOException;

/**
 * Fashion-MNIST's IDX files in one folder (Debian's dataset-fashion-mnist installs them under
 * {@value #DEBIAN_DIR}), read as the classifier's input: [n, 1, 28, 28] in [-1, 1] with labels.
 */
public final class FashionMnist {
    public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";

    /** Images with their class labels. */
    public record Labelled(INDArray images, int[] labels) {
        public int count() {
            return labels.length;
        }
    }

    private FashionMnist() {
    }

    /** The first {@code limit} training images (train-images-idx3-ubyte.gz) of the folder {@code dir}. */
    public static Labelled training(String dir, int limit, Configuration hadoop) throws IOException {
        return read(dir, "train", limit, hadoop);
    }

    /** The first {@code limit} test images (t10k-images-idx3-ubyte.gz). */
    public static Labelled test(String dir, int limit, Configuration hadoop) throws IOException {
        return read(dir, "t10k", limit, hadoop);
    }

    private static Labelled read(String dir, String split, int limit, Configuration hadoop) throws IOException {
        Path images = new Path(dir, split + "-images-idx3-ubyte.gz");
        Path labels = new Path(dir, split + "-labels-idx1-ubyte.gz");
        FileSystem fs = DatasetListing.fileSystem(images, hadoop);
        for (Path p : new Path[] {images, labels}) {
            if (!fs.exists(p)) {
                throw new IOException("Fashion-MNIST: " + fs.makeQualified(p) + " does not exist (apt-get install dataset-fashion-mnist,"
                        + " or give the folder holding the four .gz files)");
            }
        }
        try (IdxFile img = IdxFile.open(fs.open(images), images.toString()); IdxFile lab = IdxFile.open(fs.open(labels), labels.toString())) {
            if (img.height() != ClassifierInput.SIDE || img.width() != ClassifierInput.SIDE || lab.count() != img.count()) {
                throw new IOException("Fashion-MNIST: " + images + " is not 28x28 images with one label each in " + labels);
            }
            int n = Math.min(limit, img.count());
            float[] pixels = new float[n * img.recordBytes()];
            int[] classes = new int[n];
            byte[] record = new byte[img.recordBytes()];
            byte[] label = new byte[1];
            for (int i = 0; i < n; i++) {
                img.next(record);
                lab.next(label);
                for (int k = 0; k < record.length; k++) {
                    pixels[i * record.length + k] = (record[k] & 0xff) / 127.5f - 1f;
                }
                classes[i] = label[0] & 0xff;
            }
            return new Labelled(Nd4j.create(pixels, new long[] {n, 1, ClassifierInput.SIDE, ClassifierInput.SIDE}, 'c'), classes);
        }
    }
}
