package minibatch.ml;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;
import scala.Function1;
import scala.reflect.ClassTag$;
import scala.reflect.ClassTag;

/**
 * A {@code Param<String>} that accepts one of a fixed set of words, made the same way on every
 * Spark 4 release. Spark 4.0.0's {@code Param} constructors take a trailing Scala {@code ClassTag}
 * that 4.0.1 and later dropped, so neither call compiles (nor links) on the other; the constructor
 * is looked up once, by its parameter types, instead.
 */
final class ChoiceParam {
    private static final Constructor<?> CURRENT = constructor(false);
    private static final Constructor<?> WITH_CLASS_TAG = constructor(true);

    private ChoiceParam() {
    }

    static Param<String> of(Identifiable parent, String name, String doc, String... allowed) {
        return validated(parent, name, doc, ParamValidators.inArray(allowed));
    }

    /** A {@code Param<String>} that accepts what {@code valid} accepts, made the same way on every Spark 4 release. */
    @SuppressWarnings("unchecked")
    static Param<String> validated(Identifiable parent, String name, String doc, Function1<String, Object> valid) {
        try {
            if (CURRENT != null) {
                return (Param<String>) CURRENT.newInstance(parent, name, doc, valid);
            }
            if (WITH_CLASS_TAG != null) {
                return (Param<String>) WITH_CLASS_TAG.newInstance(parent, name, doc, valid,
                        ClassTag$.MODULE$.apply(String.class));
            }
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct Spark ML Param " + name, e);
        }
        throw new IllegalStateException("this Spark has no Param(parent, name, doc, isValid) constructor");
    }

    private static Constructor<?> constructor(boolean withClassTag) {
        try {
            return withClassTag
                    ? Param.class.getConstructor(Identifiable.class, String.class, String.class, Function1.class,
                            ClassTag.class)
                    : Param.class.getConstructor(Identifiable.class, String.class, String.class, Function1.class);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
