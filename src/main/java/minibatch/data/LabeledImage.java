package minibatch.data;

import java.io.Serializable;

/**
 * One example: its class and its pixels ({@code [rows·cols]} unsigned bytes, row-major). Kept as
 * plain objects in executor memory by the RDD cache: ~830 bytes per 28×28 image.
 */
public record LabeledImage(int label, byte[] pixels) implements Serializable {
}
