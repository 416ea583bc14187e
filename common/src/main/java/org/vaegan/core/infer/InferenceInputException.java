package org.vaegan.core.infer;

/**
 * Input an inference cannot use: a missing path, a folder without pictures, a picture that cannot
 * be decoded or preprocessed, a model without the network a command needs. The message names the
 * input and what would be valid.
 */
public final class InferenceInputException extends RuntimeException {
    public InferenceInputException(String message) {
        super(message);
    }
}
