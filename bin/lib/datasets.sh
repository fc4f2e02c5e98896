# Sourced by bin/panoptim: installs Fashion-MNIST, the default dataset of `panoptim demo` and `panoptim train`,
# from the Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist), when missing
# (Debian/Ubuntu, as root or with sudo). Installs nothing when the files are there. A failed install
# only warns: `train --dataset cifar10` does not need it, and the loader says which file is missing.
PT_FASHION_MNIST_DIR=/usr/share/datasets/fashion-mnist

pt_have_fashion_mnist() {
  local f
  for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    [ -f "$PT_FASHION_MNIST_DIR/$f.gz" ] || [ -f "$PT_FASHION_MNIST_DIR/$f" ] || return 1
  done
}

# pt_names_data ARGS...: true when the arguments give the dataset's folder (--data DIR or --data=DIR).
pt_names_data() {
  local a
  for a in "$@"; do
    case "$a" in --data | --data=*) return 0 ;; esac
  done
  return 1
}

pt_ensure_datasets() {
  pt_have_fashion_mnist && return 0
  echo "panoptim: installing Fashion-MNIST (apt-get install dataset-fashion-mnist, 30 MB)" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # Try without refreshing the package lists first (fast when they are recent), then with.
  { $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null 2>&1 \
    || { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist; }; } >&2 \
    && pt_have_fashion_mnist \
    || echo "panoptim: could not install dataset-fashion-mnist; install it by hand (apt-get install dataset-fashion-mnist)" >&2
  return 0
}
