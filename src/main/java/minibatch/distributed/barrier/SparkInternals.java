package minibatch.distributed.barrier;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.rpc.RpcCallContext;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.rpc.RpcTimeout;
import org.apache.spark.rpc.ThreadSafeRpcEndpoint;
import org.apache.spark.util.RpcUtils;
import scala.Function1;
import scala.PartialFunction;
import scala.concurrent.duration.FiniteDuration;
import scala.jdk.javaapi.FutureConverters;
import scala.reflect.ClassTag$;
import scala.reflect.ClassTag;
import scala.runtime.AbstractPartialFunction;
import scala.runtime.BoxedUnit;

/**
 * Every use of a {@code private[spark]} Spark API, in one place: nothing else in the project
 * imports {@code org.apache.spark.rpc}, {@code RpcUtils} or {@code SparkEnv}, or calls a
 * {@code private[spark]} method. Each use says why it is here and what replaces it if it goes.
 * CI runs the resident-step tests, as compiled against one Spark, on every Spark 4 release.
 *
 * <p>The resident steps need a message channel between the driver and running tasks. Spark's own
 * barrier coordinator uses its RPC environment; so do we, for the same reasons: it already runs on
 * the driver's port, with Spark's authentication and encryption settings, on every cluster
 * manager. If it goes, a plain socket server on the driver (with its own port, firewall rule and
 * secret) replaces it.
 */
final class SparkInternals {
    private static final ClassTag<Object> ANY = ClassTag$.MODULE$.apply(Object.class);

    private SparkInternals() {
    }

    /** Receives the messages sent to a served endpoint (on Spark's RPC threads, one at a time). */
    interface Handler {
        void receive(Object message, Reply reply);
    }

    /** The answer to one message; sent at most once, from any thread, possibly later. */
    interface Reply {
        void send(Object answer);
    }

    /** A running endpoint on the driver. */
    interface Served extends AutoCloseable {
        @Override
        void close();
    }

    /** A task's line to a driver endpoint. */
    interface DriverLink {
        /** Sends {@code message}; the future fails if no answer comes within {@code timeoutMillis}. */
        CompletableFuture<Object> ask(Object message, long timeoutMillis);
    }

    /**
     * Serves {@code handler} as endpoint {@code name} on the driver's RPC environment.
     * Internal: {@code SparkContext.env}, {@code SparkEnv.rpcEnv}, {@code RpcEnv.setupEndpoint},
     * {@code ThreadSafeRpcEndpoint}, {@code RpcCallContext} (all {@code private[spark]}).
     * Messages must be of JDK types only: executors decode RPC messages before the application's
     * jar is on their class path.
     */
    static Served serve(SparkContext sc, String name, Handler handler) {
        RpcEnv rpcEnv = sc.env().rpcEnv();
        RpcEndpointRef ref = rpcEnv.setupEndpoint(name, new Endpoint(rpcEnv, handler));
        return () -> rpcEnv.stop(ref);
    }

    /**
     * The endpoint {@code name} on this task's driver. Internal: {@code SparkEnv.get().rpcEnv()},
     * {@code RpcUtils.makeDriverRef}, {@code RpcEndpointRef.ask}, {@code RpcTimeout} (4.2.0 removed
     * {@code RpcUtils.INFINITE_TIMEOUT}, which an earlier version used).
     */
    static DriverLink driver(String name) {
        SparkEnv env = SparkEnv.get();
        RpcEndpointRef ref = RpcUtils.makeDriverRef(name, env.conf(), env.rpcEnv());
        return (message, timeoutMillis) -> {
            var timeout = new RpcTimeout(FiniteDuration.apply(timeoutMillis, TimeUnit.MILLISECONDS), "minibatch.stepTimeout");
            return FutureConverters.asJava(ref.ask(message, timeout, ANY)).toCompletableFuture();
        };
    }

    /**
     * How many tasks of the default resource profile can run at once now: a barrier stage needs one
     * slot per partition. Internal: {@code SparkContext.maxNumConcurrentTasks} and
     * {@code resourceProfileManager}; Spark's barrier scheduler uses the same count. Replacement if
     * they go: the public {@code SparkStatusTracker} executor list times
     * {@code spark.executor.cores / spark.task.cpus}.
     */
    static int taskSlots(SparkContext sc) {
        return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
    }

    /** Adapts a {@link Handler} to Spark's endpoint trait, answering every {@code Object[]} message. */
    private static final class Endpoint implements ThreadSafeRpcEndpoint {
        private final RpcEnv rpcEnv;
        private final Handler handler;

        Endpoint(RpcEnv rpcEnv, Handler handler) {
            this.rpcEnv = rpcEnv;
            this.handler = handler;
        }

        @Override
        public RpcEnv rpcEnv() {
            return rpcEnv;
        }

        @Override
        public PartialFunction<Object, BoxedUnit> receiveAndReply(RpcCallContext context) {
            return new AbstractPartialFunction<>() {
                @Override
                public boolean isDefinedAt(Object message) {
                    return message instanceof Object[];
                }

                @Override
                public <A1, B1> B1 applyOrElse(A1 message, Function1<A1, B1> otherwise) {
                    if (!(message instanceof Object[])) {
                        return otherwise.apply(message);
                    }
                    handler.receive(message, context::reply);
                    @SuppressWarnings("unchecked")
                    B1 unit = (B1) BoxedUnit.UNIT;
                    return unit;
                }
            };
        }
    }
}
