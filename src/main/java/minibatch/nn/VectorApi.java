package minibatch.nn;

/**
 * Whether the kernels may use Java's Vector API: its {@code jdk.incubator.vector} module is in
 * this JVM (Spark 4's launcher and {@code submit.sh} add it to every JVM) and
 * {@code -Dminibatch.simd=false} does not force the plain loops. Every SIMD kernel gives its plain
 * loop's bits, so this decides speed only. Read once, by every kernel alike.
 */
public final class VectorApi {
    public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("minibatch.simd"));

    private VectorApi() {
    }
}
