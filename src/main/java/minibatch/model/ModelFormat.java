package minibatch.model;

/** Names and version of the on-disk model layout: {@code model.json} + {@code weights.bin}. */
final class ModelFormat {
    static final String NAME = "spark-minibatch-model";
    /** 2: a layer stack ({@code layers}, {@code input_shape}); dense models are still written as 1. */
    static final int VERSION = 2;
    /** Every version this build reads: 1 holds dense models only. */
    static final java.util.Set<Integer> READABLE = java.util.Set.of(1, 2);
    static final String METADATA_FILE = "model.json";
    static final String WEIGHTS_FILE = "weights.bin";
    static final String LAYOUT = "per layer l: W_l [in x out] row-major, then b_l [out]; float64 little-endian";
    /** A layer stack's: a convolution's W is [KH*KW*C_in x C_out], rows in (kh, kw, c_in) order; inputs are H x W x C, channels last. */
    static final String LAYER_LAYOUT = "per layer with parameters: W [fan_in x out] row-major (a convolution's rows in "
            + "(kh, kw, c_in) order), then b [out]; inputs [H x W x C] channels last; float64 little-endian";
    /** Refuse to allocate weights for a declared network bigger than this (sanity bound on untrusted files). */
    static final long MAX_PARAMETERS = 1L << 28;

    private ModelFormat() {
    }
}
