package minibatch.data.table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import minibatch.UserError;
import minibatch.data.ImageSource;
import minibatch.data.LabelIndex;
import minibatch.data.LabeledImage;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import scala.Tuple2;

/**
 * An image set held in a table format Spark reads (CSV lines, Parquet, LibSVM), validated by one
 * distributed pass before anything is cached. The canonical row order is by file name, then by
 * position in the file, whatever splits Spark reads: each row is numbered from its block's place
 * in that order, and {@link #read} moves row {@code i} to slice {@code i·slices/count}, in order.
 * So the same images as IDX, CSV or Parquet fill the same partitions with the same rows.
 */
public final class TableImageSet implements ImageSource {
    private static final String FILE = "_minibatch_file";
    private static final String BLOCK = "_minibatch_block";

    private final String location;
    private final Dataset<Row> scan;
    private final RowDecoder decoder;
    private final long count;
    private final int rows;
    private final int cols;
    private final boolean knowsHeight;
    private final LabelIndex labels;
    /** Global index of the first row of each block, by {@link BlockStats#key}. */
    private final HashMap<String, Long> firstRow;
    /** The files in canonical order, and the global index of each one's first row. */
    private final java.util.TreeMap<Long, String> files;
    private final List<String> classNames;
    private final int channels;

    /** {@code height}: the images' height in pixels, 0 where the rows give only a pixel count (then a square's, if any). */
    private TableImageSet(String location, Dataset<Row> scan, RowDecoder decoder, long count, int width, int height,
                          LabelIndex labels, HashMap<String, Long> firstRow, java.util.TreeMap<Long, String> files,
                          List<String> classNames, int channels) {
        this.location = location;
        this.scan = scan;
        this.decoder = decoder;
        this.count = count;
        int pixels = width / channels;
        int side = (int) Math.round(Math.sqrt(pixels));
        this.knowsHeight = height > 0 || side * side == pixels;
        this.rows = height > 0 ? height : side * side == pixels ? side : 1;
        this.cols = pixels / rows;
        this.channels = channels;
        this.labels = labels;
        this.firstRow = firstRow;
        this.files = files;
        this.classNames = classNames;
    }

    /**
     * Validates every row of {@code payload} (the decoder's fields) on the executors: each row
     * decodes, all rows have the same pixel count, and there is at least one row.
     *
     * @throws UserError naming {@code location} and the first bad row in canonical order
     */
    public static TableImageSet open(SparkSession spark, String location, Dataset<Row> payload, RowDecoder decoder) {
        return open(spark, location, payload, decoder, List.of(), 1);
    }

    /**
     * As above, for a set whose labels have names ({@code classNames[label]}) and whose decoder gives
     * {@code channels} values per pixel.
     */
    public static TableImageSet open(SparkSession spark, String location, Dataset<Row> payload, RowDecoder decoder,
                            List<String> classNames, int channels) {
        Dataset<Row> scan = payload.withColumn(FILE, functions.input_file_name())
                .withColumn(BLOCK, functions.expr("input_file_block_start()"));
        spark.sparkContext().setJobDescription("validate " + location);
        List<BlockStats> blocks;
        try {
            blocks = new ArrayList<>(scan.javaRDD().mapPartitions(new BlockValidator(decoder)).collect());
        } finally {
            spark.sparkContext().setJobDescription(null);
        }
        blocks.sort(Comparator.comparing(BlockStats::file).thenComparingLong(BlockStats::start));
        HashMap<String, Long> firstRow = new HashMap<>();
        java.util.TreeMap<Long, String> files = new java.util.TreeMap<>();
        long count = 0;
        LabelIndex labels = LabelIndex.NONE;
        int minWidth = Integer.MAX_VALUE;
        int maxWidth = 0;
        BlockStats firstFull = null;
        for (BlockStats b : blocks) {
            if (b.firstError() != null) {
                throw new UserError((b.file().isEmpty() ? location + ": cannot read: " : b.file() + ": ") + b.firstError());
            }
            firstRow.put(b.key(), count);
            if (b.rows() > 0 && !b.file().equals(files.isEmpty() ? null : files.lastEntry().getValue())) {
                files.put(count, b.file());
            }
            for (var first : b.firstAt().entrySet()) {
                labels = labels.with(first.getKey(), count + first.getValue());
            }
            count += b.rows();
            if (b.rows() > 0) {
                if (firstFull == null) {
                    firstFull = b;
                }
                if (b.minWidth() != firstFull.minWidth() || b.maxWidth() != firstFull.minWidth()) {
                    // the first file, in canonical order, that differs from the first one
                    int other = b.minWidth() != firstFull.minWidth() ? b.minWidth() : b.maxWidth();
                    throw new UserError(String.format("%s: holds images of %d pixels, but %s holds images of %d; "
                            + "all images must have the same size", b.file(), other, firstFull.file(), firstFull.minWidth()));
                }
                requireHeight(b, firstFull, channels);
                minWidth = Math.min(minWidth, b.minWidth());
                maxWidth = Math.max(maxWidth, b.maxWidth());
            }
        }
        if (count == 0) {
            throw new UserError(location + ": holds no rows");
        }
        if (minWidth == 0) {
            throw new UserError(location + ": rows have no pixels");
        }
        int height = firstFull.minHeight();
        return new TableImageSet(location, scan, decoder, count, minWidth, height, labels, firstRow, files, classNames,
                channels);
    }

    /** Block {@code b}'s images have the height of the first block's (their pixel counts being equal). */
    private static void requireHeight(BlockStats b, BlockStats first, int channels) {
        int height = first.minHeight();
        if (b.minHeight() != height || b.maxHeight() != height) {
            int other = b.minHeight() != height ? b.minHeight() : b.maxHeight();
            int pixels = b.minWidth() / channels;
            throw new UserError(String.format("%s: holds images of %dx%d pixels, but %s holds images of %dx%d; "
                    + "all images must have the same size", b.file(), other, pixels / Math.max(1, other), first.file(),
                    height, pixels / Math.max(1, height)));
        }
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public boolean knowsHeight() {
        return knowsHeight;
    }

    @Override
    public LabelIndex labels() {
        return labels;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int channels() {
        return channels;
    }

    /** "FILE: row N", N counted from 0 over the file's image rows (a CSV header is not a row). */
    @Override
    public String rowName(long index) {
        var file = files.floorEntry(index);
        return file == null ? location + ": row " + index : file.getValue() + ": row " + (index - file.getKey());
    }

    @Override
    public JavaRDD<LabeledImage> read(SparkSession spark, int slices) {
        Broadcast<HashMap<String, Long>> starts = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(firstRow);
        RowDecoder rowDecoder = decoder;
        String where = location;
        return scan.javaRDD()
                .mapPartitionsToPair(rows -> new Numbered(rows, rowDecoder, starts.value(), where))
                .repartitionAndSortWithinPartitions(new SlicePartitioner(count, slices))
                .values();
    }

    /**
     * Each decoded row with its canonical index (its block's first index plus its place in the
     * block), lazily.
     */
    private static final class Numbered implements Iterator<Tuple2<Long, LabeledImage>> {
        private final Iterator<Row> rows;
        private final RowDecoder decoder;
        private final Map<String, Long> firstRow;
        private final String location;
        private final Map<String, Long> next = new HashMap<>();
        private Row pending;

        Numbered(Iterator<Row> rows, RowDecoder decoder, Map<String, Long> firstRow, String location) {
            this.rows = rows;
            this.decoder = decoder;
            this.firstRow = firstRow;
            this.location = location;
        }

        @Override
        public boolean hasNext() {
            while (pending == null && rows.hasNext()) {
                Row row = rows.next();
                if (!decoder.skip(row)) {
                    pending = row;
                }
            }
            return pending != null;
        }

        @Override
        public Tuple2<Long, LabeledImage> next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            Row row = pending;
            pending = null;
            String key = BlockStats.key(row.getString(row.length() - 2), row.getLong(row.length() - 1));
            Long first = firstRow.get(key);
            if (first == null) {
                throw new UserError(location + ": changed while being read (a new file block appeared)");
            }
            long index = next.merge(key, first, (a, b) -> a + 1);
            try {
                return new Tuple2<>(index, decoder.decode(row));
            } catch (RowDecoder.BadRow e) {
                throw new UserError(location + ": changed while being read: " + UserError.firstLine(e));
            }
        }
    }
}
