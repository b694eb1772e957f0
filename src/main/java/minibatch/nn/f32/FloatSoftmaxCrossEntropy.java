package minibatch.nn.f32;

import minibatch.nn.SoftmaxCrossEntropy;

/** {@link SoftmaxCrossEntropy}'s softmax, guarded loss and output gradient for one float32 row. */
final class FloatSoftmaxCrossEntropy {
    /** The 1e-7 guard, as the nearest float. */
    static final float LOG_GUARD = (float) SoftmaxCrossEntropy.LOG_GUARD;

    private FloatSoftmaxCrossEntropy() {
    }

    /** softmax of {@code z[off..off+n)} in place; the row max (in float) is subtracted before exp, so large logits stay finite. */
    static void softmax(float[] z, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = off; k < off + n; k++) {
            max = Math.max(max, z[k]);
        }
        float sum = 0f;
        for (int k = off; k < off + n; k++) {
            float e = (float) Math.exp(z[k] - max);
            z[k] = e;
            sum += e;
        }
        for (int k = off; k < off + n; k++) {
            z[k] /= sum;
        }
    }

    /** Loss of the row at {@code probs[offset..)} with an integer label: {@code -log(y_label + 1e-7)}, the guard added in float. */
    static double lossAt(float[] probs, int offset, int label) {
        return -Math.log(probs[offset + label] + LOG_GUARD);
    }

    /** dLoss/dlogits of the row at {@code [offset, offset + n)}, {@code y - onehot(label)}, into the same entries of {@code grad}. */
    static void outputGradient(float[] probs, int offset, int label, float[] grad, int n) {
        System.arraycopy(probs, offset, grad, offset, n);
        grad[offset + label] -= 1f;
    }
}
