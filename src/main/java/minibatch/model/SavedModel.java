package minibatch.model;

import minibatch.nn.NetworkShape;

/** A trained network: its shape and flat parameters ({@code [shape.parameterCount()]}). */
public record SavedModel(NetworkShape shape, double[] params) {
    public SavedModel {
        if (params.length != shape.parameterCount()) {
            throw new IllegalArgumentException("expected " + shape.parameterCount() + " parameters, got " + params.length);
        }
    }
}
