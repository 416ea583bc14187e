package org.vaegan.core.data;

import java.io.Serializable;

/**
 * One input file as listed on the driver: its full URI, its path below the dataset root (the
 * fingerprint's name for it), size, modification time and label (-1: none).
 */
public record DataFile(String uri, String relativePath, long size, long modified, int label) implements Serializable {
}
