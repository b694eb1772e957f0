package minibatch.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import minibatch.training.EpochRecord;
import minibatch.training.StepRecord;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The run's pictures, drawn with JFreeChart: loss per step, accuracy per epoch, confusion matrix. */
public final class RunCharts {
    public static final int WIDTH = 900;
    public static final int HEIGHT = 500;
    public static final int CONFUSION_SIZE = 640;

    static {
        // charts are drawn on servers and executors' hosts without a display
        System.setProperty("java.awt.headless", "true");
    }

    private RunCharts() {
    }

    /**
     * Mean loss of every step (light) and its exponential moving average over about 1% of the
     * steps (at least 10): the line to read, since single mini-batches are noisy.
     */
    public static void loss(List<StepRecord> steps, OutputStream out) throws IOException {
        XYSeries raw = new XYSeries("mean loss per step");
        XYSeries smooth = new XYSeries("smoothed");
        double alpha = 1.0 / Math.max(10, steps.size() / 100.0);
        double ema = Double.NaN;
        for (StepRecord s : steps) {
            if (!Double.isFinite(s.loss())) {
                continue; // an empty sample: no loss
            }
            raw.add(s.step(), s.loss());
            ema = Double.isNaN(ema) ? s.loss() : ema + alpha * (s.loss() - ema);
            smooth.add(s.step(), ema);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(raw);
        data.addSeries(smooth);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        lines.setSeriesPaint(0, new Color(120, 160, 220, 90));
        lines.setSeriesPaint(1, new Color(20, 60, 160));
        lines.setSeriesStroke(1, new BasicStroke(2.2f));
        XYPlot plot = new XYPlot(data, new NumberAxis("step"), new NumberAxis("cross-entropy loss (mean over the mini-batch)"),
                lines);
        write(chart("Training loss", plot), out, WIDTH, HEIGHT);
    }

    /** Train, validation (when held out) and test accuracy at every evaluation. */
    public static void accuracy(List<EpochRecord> epochs, OutputStream out) throws IOException {
        XYSeries train = new XYSeries("train");
        XYSeries validation = new XYSeries("validation");
        XYSeries test = new XYSeries("test");
        for (EpochRecord e : epochs) {
            train.add(e.epoch(), e.trainAccuracy());
            if (Double.isFinite(e.validationAccuracy())) {
                validation.add(e.epoch(), e.validationAccuracy());
            }
            test.add(e.epoch(), e.testAccuracy());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(train);
        if (validation.getItemCount() > 0) {
            data.addSeries(validation);
        }
        data.addSeries(test);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
        NumberAxis y = new NumberAxis("accuracy");
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, new NumberAxis("epoch"), y, lines);
        write(chart("Accuracy per epoch", plot), out, WIDTH, HEIGHT);
    }

    /** The learning rate each step's update used ({@code lr(step)}). */
    public static void learningRate(List<StepRecord> steps, java.util.function.LongToDoubleFunction lr, OutputStream out)
            throws IOException {
        XYSeries rate = new XYSeries("learning rate");
        for (StepRecord s : steps) {
            rate.add(s.step(), lr.applyAsDouble(s.step()));
        }
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        lines.setSeriesPaint(0, new Color(20, 60, 160));
        lines.setSeriesStroke(0, new BasicStroke(2.2f));
        NumberAxis y = new NumberAxis("learning rate");
        y.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(new XYSeriesCollection(rate), new NumberAxis("step"), y, lines);
        JFreeChart chart = chart("Learning rate per step", plot);
        chart.removeLegend();
        write(chart, out, WIDTH, HEIGHT / 2);
    }

    /**
     * The confusion matrix ({@code counts[true][predicted]}), each cell labelled with its count.
     * Wrong cells are coloured by their share of all errors, so the largest confusions stand out;
     * the diagonal (right answers) is grey.
     */
    public static void confusion(long[][] counts, OutputStream out) throws IOException {
        confusion(counts, java.util.List.of(), out);
    }

    /** As above, the axes labelled with the classes' names ({@code [classes]}) where there are any. */
    public static void confusion(long[][] counts, java.util.List<String> names, OutputStream out) throws IOException {
        int k = counts.length;
        long errors = 0;
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                errors += t == p ? 0 : counts[t][p];
            }
        }
        double[][] xyz = new double[3][k * k];
        double top = 0;
        XYPlot plot = new XYPlot();
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                int i = t * k + p;
                xyz[0][i] = p;
                xyz[1][i] = t;
                xyz[2][i] = t == p ? -1 : errors == 0 ? 0 : (double) counts[t][p] / errors;
                top = Math.max(top, xyz[2][i]);
            }
        }
        double upper = Math.max(0.01, top);
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                double share = xyz[2][t * k + p];
                XYTextAnnotation label = new XYTextAnnotation(Long.toString(counts[t][p]), p, t);
                label.setFont(new Font(Font.SANS_SERIF, t == p ? Font.BOLD : Font.PLAIN, k > 12 ? 9 : 12));
                label.setPaint(share > 0.6 * upper ? Color.WHITE : Color.BLACK);
                plot.addAnnotation(label);
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("share of all errors", xyz);
        // below 0 (the diagonal): grey; errors from white (none) to deep red (the largest share)
        LookupPaintScale scale = new LookupPaintScale(0, upper * 1.0001, new Color(225, 225, 225));
        for (int i = 0; i <= 20; i++) {
            float v = i / 20f;
            scale.add(upper * v, new Color(1f, 1 - 0.8f * v, 1 - 0.85f * v));
        }
        XYBlockRenderer blocks = new XYBlockRenderer();
        blocks.setPaintScale(scale);
        String[] symbols = names.toArray(String[]::new);
        NumberAxis predicted = names.isEmpty() ? new NumberAxis("predicted class")
                : new org.jfree.chart.axis.SymbolAxis("predicted class", symbols);
        NumberAxis truth = names.isEmpty() ? new NumberAxis("true class")
                : new org.jfree.chart.axis.SymbolAxis("true class", symbols);
        for (NumberAxis axis : new NumberAxis[] {predicted, truth}) {
            axis.setRange(-0.5, k - 0.5);
            if (names.isEmpty()) {
                axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            }
        }
        truth.setInverted(true);
        plot.setDataset(data);
        plot.setDomainAxis(predicted);
        plot.setRangeAxis(truth);
        plot.setRenderer(blocks);
        JFreeChart chart = chart("Confusion matrix, test set (" + errors + " errors)", plot);
        chart.removeLegend();
        NumberAxis shareAxis = new NumberAxis("share of all errors");
        shareAxis.setRange(0, upper);
        shareAxis.setNumberFormatOverride(new java.text.DecimalFormat("0.0%",
                java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)));
        PaintScaleLegend legend = new PaintScaleLegend(scale, shareAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 40, 4);
        legend.setAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_RIGHT);
        chart.addSubtitle(legend);
        write(chart, out, CONFUSION_SIZE, CONFUSION_SIZE);
    }

    private static JFreeChart chart(String title, XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static void write(JFreeChart chart, OutputStream out, int width, int height) throws IOException {
        ChartUtils.writeChartAsPNG(out, chart, width, height);
    }
}
