package minibatch.model;

/** Names and version of the on-disk model layout: {@code model.json} + {@code weights.bin}. */
final class ModelFormat {
    static final String NAME = "spark-minibatch-model";
    static final int VERSION = 1;
    static final String METADATA_FILE = "model.json";
    static final String WEIGHTS_FILE = "weights.bin";
    static final String LAYOUT = "per layer l: W_l [in x out] row-major, then b_l [out]; float64 little-endian";
    /** Refuse to allocate weights for a declared network bigger than this (sanity bound on untrusted files). */
    static final long MAX_PARAMETERS = 1L << 28;

    private ModelFormat() {
    }
}
