#!/usr/bin/env bash
# Builds local Docker images of real servers from Debian bookworm's own packages, for integration tests on a machine
# that reaches Debian's apt mirror but no container registry:
#
#   ordo-real/postgres:15    and :latest   Debian's postgresql-15
#   ordo-real/mariadb:10.11  and :latest   Debian's mariadb-server
#   ordo-real/redis:7        and :latest   Debian's redis-server
#   ordo-real/rabbitmq:3.10  and :latest   Debian's rabbitmq-server
#
#   scripts/real-images.sh [--force] [postgres] [mariadb] [redis] [rabbitmq]     (default: all four)
#
# Each image follows its official Docker image's environment contract where our tests use it (POSTGRES_PASSWORD,
# MARIADB_ROOT_PASSWORD, RABBITMQ_DEFAULT_USER, ...: see the entry scripts in scripts/real-images/<name>/), so that
# the same compose files run unchanged on the official images.
#
# How: `debootstrap --variant=minbase bookworm` once into a cached base (/var/cache/ordo-real-images/base.tar, kept
# across runs and brought up to date with apt-get dist-upgrade), then per image a copy of the base, apt-get install of
# the server package (a policy-rc.d forbids starting services), our entry script, cleanup of apt lists, caches, docs,
# man pages and translations, and `tar | docker import` with the image's ENTRYPOINT, CMD, ENV, EXPOSE and labels
# (postgres's STOPSIGNAL SIGINT comes from a context-less `docker build`, as Docker 20.10's import refuses it). The
# images are built in parallel. The mirror is the one in this machine's /etc/apt/sources.list(.d)
# (fallback http://deb.debian.org/debian); downloaded .debs are kept in the cache for the next build.
#
# An image is skipped ("up to date") when its tag exists and its labels say it holds exactly what would be built now:
#   dev.ordo.real-image.packages  name=version of every package its install step added, as apt would install now
#   dev.ordo.real-image.base      sha256 of the base's package list (name=version), so base security updates rebuild
#   dev.ordo.real-image.script    sha256 of this script and the image's files in scripts/real-images/<name>/
# --force rebuilds the named images anyway. To start from scratch: rm -rf /var/cache/ordo-real-images.
#
# Needs root (debootstrap, chroot) on Debian 12 and a Docker engine (scripts/ensure-docker.sh); installs debootstrap
# when missing. Touches only images tagged ordo-real/*. Logs: /var/cache/ordo-real-images/logs/.
# Environment: ORDO_REAL_IMAGES_CACHE (cache folder), ORDO_REAL_IMAGES_JOBS (parallel builds, default 4),
# ORDO_REAL_IMAGES_MIRROR (a Debian mirror to use instead of this machine's; its bookworm and bookworm-updates).
set -euo pipefail

ALL_IMAGES=(postgres mariadb redis rabbitmq)
CACHE="${ORDO_REAL_IMAGES_CACHE:-/var/cache/ordo-real-images}"
case $CACHE in /*) ;; *) CACHE="$PWD/$CACHE" ;; esac
JOBS="${ORDO_REAL_IMAGES_JOBS:-4}"
BASE_TAR="$CACHE/base.tar"
DEBS="$CACHE/debs"
LOGS="$CACHE/logs"
SUITE=bookworm
SCRIPT_PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
FILES_DIR="$(dirname "$SCRIPT_PATH")/real-images"
CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LABEL=dev.ordo.real-image

say() { echo "real-images: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------------------------------
# What each image is

# the packages to install (the first one names the image's version)
image_packages() {
    case $1 in
        postgres) echo postgresql-15 xz-utils zstd ;;
        mariadb) echo mariadb-server xz-utils zstd ;;
        redis) echo redis-server ;;
        rabbitmq) echo rabbitmq-server ;;
    esac
}

# how many components of the upstream version make the tag, as the official images' major tags: 15, 10.11, 7, 3.10
tag_parts() {
    case $1 in
        postgres | redis) echo 1 ;;
        mariadb | rabbitmq) echo 2 ;;
    esac
}

# the service user: name home shell (uid and gid 999, as in the official images)
image_user() {
    case $1 in
        postgres) echo "postgres /var/lib/postgresql /bin/bash" ;;
        mariadb) echo "mysql /var/lib/mysql /bin/false" ;;
        redis) echo "redis /var/lib/redis /usr/sbin/nologin" ;;
        rabbitmq) echo "rabbitmq /var/lib/rabbitmq /usr/sbin/nologin" ;;
    esac
}

# docker import --change lines for image $1 with tag $2 (one instruction a line)
image_changes() {
    local name=$1 major=$2
    local path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    echo 'ENTRYPOINT ["docker-entrypoint.sh"]'
    case $name in
        postgres)
            echo "ENV PATH=/usr/lib/postgresql/$major/bin:$path"
            echo "ENV PG_MAJOR=$major"
            echo "ENV PGDATA=/var/lib/postgresql/data"
            echo "ENV LANG=en_US.utf8"
            echo 'EXPOSE 5432'
            echo 'CMD ["postgres"]'
            ;;
        mariadb)
            echo "ENV PATH=$path"
            echo "ENV LANG=C.UTF-8"
            echo 'EXPOSE 3306'
            echo 'CMD ["mariadbd"]'
            ;;
        redis)
            echo "ENV PATH=$path"
            echo 'WORKDIR /data'
            echo 'EXPOSE 6379'
            echo 'CMD ["redis-server"]'
            ;;
        rabbitmq)
            echo "ENV PATH=/usr/lib/rabbitmq/bin:$path"
            echo "ENV RABBITMQ_DATA_DIR=/var/lib/rabbitmq"
            echo "ENV HOME=/var/lib/rabbitmq"
            echo "ENV LANG=C.UTF-8"
            echo 'EXPOSE 4369 5671 5672 15691 15692 25672'
            echo 'CMD ["rabbitmq-server"]'
            ;;
    esac
}

# the signal that stops image $1's server cleanly (docker stop sends it): as the official images
image_stop_signal() {
    case $1 in
        postgres) echo SIGINT ;;
        *) echo SIGTERM ;;
    esac
}

# the fix to suggest when a step of image $1 fails
fix_for() {
    case $2 in
        "apt-get install") echo "read the log; if the mirror lacks a package or a version, apt-get update on this machine and run again (--force $1)" ;;
        "docker import" | "docker build (STOPSIGNAL)") echo "check that the Docker engine answers (scripts/ensure-docker.sh) and that /var/lib/docker has free space" ;;
        *) echo "read the log, then run again (scripts/real-images.sh --force $1); rm -rf $CACHE starts from scratch" ;;
    esac
}

# ---------------------------------------------------------------------------------------------------------------------
# Helpers

# in_root DIR CMD...: runs CMD chrooted in DIR, with /proc mounted in a private mount namespace (gone when CMD ends,
# so nothing stays mounted under DIR) and a clean environment
in_root() {
    local root=$1
    shift
    unshare --mount --propagation private -- /bin/sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$root" \
        env -i PATH="$CHROOT_PATH" HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
        DEBCONF_NONINTERACTIVE_SEEN=true "$@"
}

# removes a build root; refuses anything outside the cache and never crosses into another file system
remove_root() {
    local dir=$1
    case $dir in "$CACHE"/work/*) ;; *) die "internal: refusing to remove $dir" ;; esac
    [ -e "$dir" ] || return 0
    if findmnt -rno TARGET | grep -qF "$dir/"; then
        die "$dir still has mounts under it (findmnt | grep $dir); unmount them, then run again"
    fi
    rm -rf --one-file-system "$dir"
}

# prints "URI SUITE" for each bookworm suite (component main) of this machine's apt sources, one-line and deb822
host_sources() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        sed -e 's/#.*//' "$f" | awk '$1 == "deb" {
            i = 2
            if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
            for (j = i + 2; j <= NF; j++) if ($j == "main") { print $i, $(i + 1); break }
        }'
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        awk 'BEGIN { RS = ""; FS = "\n" } {
            types = ""; uris = ""; suites = ""; comps = ""; enabled = "yes"; key = ""
            for (n = 1; n <= NF; n++) {
                line = $n
                if (line ~ /^#/) continue
                if (line ~ /^[ \t]/) { val = line } else {
                    key = tolower(substr(line, 1, index(line, ":") - 1)); val = substr(line, index(line, ":") + 1)
                }
                if (key == "types") types = types " " val
                else if (key == "uris") uris = uris " " val
                else if (key == "suites") suites = suites " " val
                else if (key == "components") comps = comps " " val
                else if (key == "enabled") enabled = tolower(val)
            }
            gsub(/[ \t]/, "", enabled)
            if (enabled == "no" || (" " types " ") !~ /[ \t]deb[ \t]/ || (" " comps " ") !~ /[ \t]main[ \t]/) next
            nu = split(uris, u, /[ \t]+/); ns = split(suites, s, /[ \t]+/)
            for (a = 1; a <= nu; a++) for (b = 1; b <= ns; b++) if (u[a] != "" && s[b] != "") print u[a], s[b]
        }' "$f"
    done
}

# sets MIRROR (for debootstrap) and SOURCES_LIST (for the images' apt) from this machine's sources
pick_mirror() {
    local uri suite
    MIRROR=""
    SOURCES_LIST=""
    if [ -n "${ORDO_REAL_IMAGES_MIRROR:-}" ]; then
        MIRROR=${ORDO_REAL_IMAGES_MIRROR%/}
        SOURCES_LIST="deb $MIRROR $SUITE main"$'\n'"deb $MIRROR $SUITE-updates main"$'\n'
        return 0
    fi
    while read -r uri suite; do
        case $suite in
            "$SUITE") [ -n "$MIRROR" ] || MIRROR=${uri%/} ;;
            "$SUITE"-updates | "$SUITE"-security) ;;
            *) continue ;;
        esac
        SOURCES_LIST+="deb ${uri%/} $suite main"$'\n'
    done < <(host_sources | awk '!seen[$0]++')
    if [ -z "$MIRROR" ]; then
        MIRROR=http://deb.debian.org/debian
        SOURCES_LIST="deb $MIRROR $SUITE main"$'\n'"deb $MIRROR $SUITE-updates main"$'\n'
        SOURCES_LIST+="deb http://deb.debian.org/debian-security $SUITE-security main"$'\n'
        say "no $SUITE source in /etc/apt/sources.list(.d); using $MIRROR"
    fi
}

# the files that make image $1, for the script label
script_digest() {
    local f
    {
        printf '%s\n' real-images.sh
        cat "$SCRIPT_PATH"
        for f in "$FILES_DIR/$1"/*; do
            [ -f "$f" ] || continue
            printf '%s\n' "${f##*/}"
            cat "$f"
        done
    } | sha256sum | cut -d' ' -f1
}

# name=version of every installed package of root $1, sorted
root_packages() {
    in_root "$1" dpkg-query -W -f '${Package}=${Version}\n' | LC_ALL=C sort
}

# the upstream version's first $2 components: 1:10.11.19-0+deb12u1 -> 10.11
version_tag() {
    local v=${1#*:}
    v=${v%%-*}
    v=${v%%[+~]*}
    echo "$v" | cut -d. -f1-"$2"
}

label_of() { docker image inspect --format "{{ index .Config.Labels \"$LABEL.$2\" }}" "$1" 2>/dev/null || true; }
# "packages|base|script" labels of image $1 (empty parts when it has none)
labels_of() {
    local f="{{ index .Config.Labels \"$LABEL.packages\" }}|{{ index .Config.Labels \"$LABEL.base\" }}"
    docker image inspect --format "$f|{{ index .Config.Labels \"$LABEL.script\" }}" "$1" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------------------------------
# The base: debootstrap once, kept as $BASE_TAR; each run unpacks it into $WORK/base and brings it up to date

make_base_tar() {
    local dir="$WORK/debootstrap" log="$LOGS/base.log" include=()
    say "no cached base: debootstrap --variant=minbase $SUITE from $MIRROR (about 2 minutes, once; log: $log)"
    case $SOURCES_LIST in *https://*) include=(--include=ca-certificates) ;; esac
    remove_root "$dir"
    mkdir -p "$DEBS"
    # first stage (download and unpack), then the second stage with dpkg's fsyncs off: it is a throw-away build root
    if ! debootstrap --foreign --variant=minbase "${include[@]}" --cache-dir="$DEBS" "$SUITE" "$dir" "$MIRROR" >"$log" 2>&1; then
        tail -15 "$log" >&2
        die "base: debootstrap (first stage) failed (log: $log); fix: check that $MIRROR answers from this machine (apt-get update), then run again"
    fi
    mkdir -p "$dir/etc/dpkg/dpkg.cfg.d"
    echo force-unsafe-io >"$dir/etc/dpkg/dpkg.cfg.d/ordo-unsafe-io"
    if ! unshare --mount --propagation private -- chroot "$dir" /debootstrap/debootstrap --second-stage >>"$log" 2>&1; then
        tail -15 "$log" >&2
        die "base: debootstrap --second-stage failed (log: $log); fix: read the log; rm -rf $CACHE and run again"
    fi
    # what every image shares: no services started by package scripts, no docs, man pages or translations, no recommends
    printf '#!/bin/sh\n# ordo-real-images: packages must not start services while the image is built\nexit 101\n' \
        >"$dir/usr/sbin/policy-rc.d"
    chmod 755 "$dir/usr/sbin/policy-rc.d"
    cat >"$dir/etc/dpkg/dpkg.cfg.d/ordo-slim" <<'EOF'
# ordo-real-images: keep the image small (copyright files stay)
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
path-exclude=/usr/share/lintian/*
EOF
    cat >"$dir/etc/apt/apt.conf.d/90ordo-real-images" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
Dpkg::Use-Pty "false";
EOF
    rm -f "$dir"/var/cache/apt/archives/*.deb
    tar -C "$dir" --numeric-owner -cf "$BASE_TAR.tmp" . || die "base: writing $BASE_TAR failed; fix: check free space in $CACHE"
    mv "$BASE_TAR.tmp" "$BASE_TAR"
    remove_root "$dir"
}

# unpacks the base, points it at the mirror, apt-get update and dist-upgrade; sets BASE_DIGEST, MIRROR_OK
prepare_base() {
    local dir="$WORK/base" log="$LOGS/base-update.log" upgrades
    mkdir -p "$dir"
    tar -C "$dir" --numeric-owner -xf "$BASE_TAR" || die "base: unpacking $BASE_TAR failed; fix: rm $BASE_TAR and run again"
    printf '%s' "$SOURCES_LIST" >"$dir/etc/apt/sources.list"
    rm -f "$dir/etc/apt/sources.list.d/"*.sources "$dir/etc/apt/sources.list.d/"*.list
    cat /etc/resolv.conf >"$dir/etc/resolv.conf" 2>/dev/null || true
    proxy_config >"$dir/etc/apt/apt.conf.d/91ordo-proxy"
    MIRROR_OK=1
    if ! in_root "$dir" apt-get update >"$log" 2>&1 || grep -q '^\(W\|E\): .*\(Failed to fetch\|Some index files failed\)' "$log"; then
        MIRROR_OK=0
        tail -5 "$log" >&2
        say "apt-get update failed in the base (log: $log)"
        return 0
    fi
    upgrades=$(in_root "$dir" apt-get -s dist-upgrade | grep -c '^Inst ' || true)
    if [ "$upgrades" -gt 0 ]; then
        say "base: $upgrades package updates from the mirror; upgrading the cached base"
        link_debs_into "$dir"
        if ! in_root "$dir" apt-get -y -q dist-upgrade >>"$log" 2>&1; then
            tail -15 "$log" >&2
            die "base: apt-get dist-upgrade failed (log: $log); fix: read the log; rm $BASE_TAR and run again"
        fi
        harvest_debs "$dir"
        in_root "$dir" apt-get clean
        tar -C "$dir" --numeric-owner -cf "$BASE_TAR.tmp" . && mv "$BASE_TAR.tmp" "$BASE_TAR"
    fi
    root_packages "$dir" >"$WORK/base.packages"
    BASE_DIGEST=$(sha256sum <"$WORK/base.packages" | cut -d' ' -f1)
}

# this machine's apt proxy, if any, for the images' apt
proxy_config() {
    local p
    for p in http https; do
        local v
        v=$(apt-config dump "Acquire::$p::Proxy" 2>/dev/null | sed -n "s/^Acquire::$p::Proxy \"\(.*\)\";$/\1/Ip" | head -1)
        [ -z "$v" ] || printf 'Acquire::%s::Proxy "%s";\n' "$p" "$v"
    done
}

# the cached .debs are hard-linked into a root's apt archive before an install and the new ones back after it
link_debs_into() {
    local f
    mkdir -p "$DEBS" "$1/var/cache/apt/archives"
    for f in "$DEBS"/*.deb; do
        [ -e "$f" ] || return 0
        ln -f "$f" "$1/var/cache/apt/archives/" 2>/dev/null || cp -f "$f" "$1/var/cache/apt/archives/"
    done
}
harvest_debs() {
    local f
    for f in "$1"/var/cache/apt/archives/*.deb; do
        [ -e "$f" ] || return 0
        [ -e "$DEBS/${f##*/}" ] || ln "$f" "$DEBS/" 2>/dev/null || cp -n "$f" "$DEBS/" || true
    done
}

# predicted name=version list of what installing image $1's packages in the base adds, comma-separated
predict_packages() {
    # shellcheck disable=SC2046 # the package list is meant to split
    in_root "$WORK/base" apt-get -s install $(image_packages "$1") 2>"$LOGS/$1.predict.log" |
        sed -n 's/^Inst \([^ ]*\) \(\[[^]]*\] \)\{0,1\}(\([^ ]*\) .*/\1=\3/p' | LC_ALL=C sort | paste -sd, -
}

# ---------------------------------------------------------------------------------------------------------------------
# Building one image (runs in the background; writes $WORK/$name.result)

customize_before() {
    local name=$1 dir=$2 user home shell
    read -r user home shell <<<"$(image_user "$name")"
    in_root "$dir" groupadd --system --gid 999 "$user"
    in_root "$dir" useradd --system --uid 999 --gid 999 --home-dir "$home" --no-create-home --shell "$shell" "$user"
    case $name in
        postgres)
            # the entry script makes the cluster in $PGDATA on first start: no Debian "main" cluster in the image
            mkdir -p "$dir/etc/postgresql-common/createcluster.d"
            echo 'create_main_cluster = false' >"$dir/etc/postgresql-common/createcluster.d/ordo-real-images.conf"
            ;;
    esac
}

customize_after() {
    local name=$1 dir=$2 major=$3
    mkdir -p "$dir/docker-entrypoint-initdb.d"
    case $name in
        postgres)
            # listen on all addresses, as the official image's sample configuration; its locale, en_US.UTF-8
            sed -ri "s/^#?(listen_addresses\s*=\s*)\S+/\1'*'/" "$dir/usr/share/postgresql/$major/postgresql.conf.sample"
            grep -q "^listen_addresses = '\*'" "$dir/usr/share/postgresql/$major/postgresql.conf.sample"
            in_root "$dir" localedef -i en_US -c -f UTF-8 en_US.UTF-8
            install -d -o 999 -g 999 -m 700 "$dir/var/lib/postgresql/data"
            install -d -o 999 -g 999 -m 3777 "$dir/var/run/postgresql"
            ;;
        mariadb)
            # the data directory is made on first start; listen on all addresses, no DNS look-ups of clients
            find "$dir/var/lib/mysql" -mindepth 1 -delete
            chown 999:999 "$dir/var/lib/mysql"
            install -d -o 999 -g 999 -m 755 "$dir/run/mysqld"
            sed -ri 's/^(bind-address|skip-networking)/#&/' "$dir/etc/mysql/mariadb.conf.d/50-server.cnf"
            printf '[mariadb]\nhost-cache-size = 0\nskip-name-resolve\n' >"$dir/etc/mysql/mariadb.conf.d/05-ordo-docker.cnf"
            ;;
        redis)
            install -d -o 999 -g 999 -m 755 "$dir/data"
            ;;
        rabbitmq)
            # no cookie baked into the image: the entry script makes one per data directory; root's CLI reads the same
            rm -f "$dir/var/lib/rabbitmq/.erlang.cookie"
            ln -sfn /var/lib/rabbitmq/.erlang.cookie "$dir/root/.erlang.cookie"
            mkdir -p "$dir/etc/rabbitmq/conf.d"
            cat >"$dir/etc/rabbitmq/conf.d/10-defaults.conf" <<'EOF'
# ordo-real-images: as the official image's defaults
# the default user may connect from other hosts
loopback_users = none
# logs go to the container's output
log.console = true
log.console.level = info
log.console.use_colors = off
log.file = false
EOF
            chown -R 999:999 "$dir/var/lib/rabbitmq" "$dir/var/log/rabbitmq" "$dir/etc/rabbitmq"
            ;;
    esac
    local f
    for f in "$FILES_DIR/$name"/*; do
        [ -f "$f" ] || continue
        install -m 755 "$f" "$dir/usr/local/bin/${f##*/}"
    done
}

slim_down() {
    local dir=$1
    in_root "$dir" apt-get clean
    rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/debconf/*-old \
        "$dir"/var/lib/dpkg/*-old "$dir"/var/log/apt/* "$dir"/var/log/*.log "$dir"/usr/share/man/* \
        "$dir"/usr/share/info/* "$dir"/usr/share/lintian "$dir"/tmp/* "$dir"/var/tmp/* "$dir"/root/.cache
    find "$dir/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
    find "$dir/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
    find "$dir/usr/share/doc" -mindepth 1 -type d -empty -delete
    rm -f "$dir/usr/sbin/policy-rc.d" "$dir/etc/dpkg/dpkg.cfg.d/ordo-unsafe-io" "$dir/etc/apt/apt.conf.d/91ordo-proxy" \
        "$dir/etc/resolv.conf"
    : >"$dir/etc/resolv.conf"
}

build_one() {
    local name=$1 major=$2 script_digest=$3
    local dir="$WORK/$name" log="$LOGS/$name.log" start=$SECONDS
    local step="start" tag="ordo-real/$name:$major" packages changes=() line old new signal
    exec >"$log" 2>&1
    # any failing command ends the build and records the step it was in
    set -eE -o pipefail
    trap 'echo "failed|$step" >"$WORK/$name.result"' ERR
    set -x
    step="copy base"
    cp -a "$WORK/base" "$dir"
    step="create user"
    customize_before "$name" "$dir"
    link_debs_into "$dir"
    step="apt-get install"
    # shellcheck disable=SC2046 # the package list is meant to split
    in_root "$dir" apt-get install -y -q $(image_packages "$name")
    harvest_debs "$dir"
    step="configure"
    customize_after "$name" "$dir" "$major"
    step="list packages"
    packages=$(root_packages "$dir" | LC_ALL=C comm -13 "$WORK/base.packages" - | paste -sd, -)
    [ -n "$packages" ]
    step="slim down"
    slim_down "$dir"
    step="docker import"
    while IFS= read -r line; do changes+=(--change "$line"); done < <(image_changes "$name" "$major")
    changes+=(--change "LABEL $LABEL.packages=\"$packages\" $LABEL.base=\"$BASE_DIGEST\" $LABEL.script=\"$script_digest\" $LABEL.name=\"$name\"")
    old=$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
    tar -C "$dir" --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -c . |
        docker import "${changes[@]}" --message "ordo-real-images: $packages" - "$tag"
    # docker import refuses STOPSIGNAL before Docker 23: a build with no context adds it, without a layer
    signal=$(image_stop_signal "$name")
    if [ "$signal" != SIGTERM ]; then
        step="docker build (STOPSIGNAL)"
        printf 'FROM %s\nSTOPSIGNAL %s\n' "$tag" "$signal" | DOCKER_BUILDKIT=0 docker build -q --pull=false -t "$tag" - >/dev/null
        [ "$(docker image inspect --format '{{.Config.StopSignal}}' "$tag")" = "$signal" ]
        step="docker import"
    fi
    docker tag "$tag" "ordo-real/$name:latest"
    new=$(docker image inspect --format '{{.Id}}' "$tag")
    # the image this one replaces, if no container uses it any more (only ever an ordo-real image)
    if [ -n "$old" ] && [ "$old" != "$new" ]; then docker image rm "$old" >/dev/null 2>&1 || true; fi
    step="clean up"
    remove_root "$dir"
    echo "built|$((SECONDS - start))" >"$WORK/$name.result"
}

# ---------------------------------------------------------------------------------------------------------------------
# Main

FORCE=0
WANT=()
for arg in "$@"; do
    case $arg in
        --force) FORCE=1 ;;
        -h | --help)
            sed -n '2,/^set -euo/p' "$SCRIPT_PATH" | sed -e '$d' -e 's/^# \{0,1\}//'
            exit 0
            ;;
        postgres | mariadb | redis | rabbitmq)
            case " ${WANT[*]-} " in *" $arg "*) ;; *) WANT+=("$arg") ;; esac
            ;;
        *) die "unknown argument '$arg'; usage: scripts/real-images.sh [--force] [postgres] [mariadb] [redis] [rabbitmq]" ;;
    esac
done
[ "${#WANT[@]}" -gt 0 ] || WANT=("${ALL_IMAGES[@]}")

[ "$(id -u)" = 0 ] || die "run as root: debootstrap and chroot need it (sudo scripts/real-images.sh)"
docker version >/dev/null 2>&1 || die "no Docker engine answers; fix: start one (scripts/ensure-docker.sh)"
for name in "${WANT[@]}"; do
    [ -x "$FILES_DIR/$name/docker-entrypoint.sh" ] ||
        die "image $name: $FILES_DIR/$name/docker-entrypoint.sh is missing or not executable; fix: restore it from git"
done
if ! command -v debootstrap >/dev/null 2>&1; then
    say "installing debootstrap"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap; } \
        >/tmp/ordo-real-images-apt.log 2>&1 ||
        { tail -5 /tmp/ordo-real-images-apt.log >&2; die "apt-get install debootstrap failed (log: /tmp/ordo-real-images-apt.log); fix: check this machine's access to Debian's mirror"; }
fi

mkdir -p "$CACHE" "$DEBS" "$LOGS"
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
    say "another real-images.sh is running; waiting for it"
    flock -w 1800 9 || die "another real-images.sh held $CACHE/.lock for 30 minutes; fix: stop it, or remove a stale lock"
fi
WORK="$CACHE/work"
# ends a build job and what it started (apt-get in a chroot, docker import), children first
kill_tree() {
    local child
    for child in $(pgrep -P "$1" 2>/dev/null); do kill_tree "$child"; done
    kill "$1" 2>/dev/null || true
}
cleanup() {
    local pid
    for pid in $(jobs -pr); do kill_tree "$pid"; done
    wait 2>/dev/null || true
    remove_root "$WORK/debootstrap" 2>/dev/null || true
    for d in "$WORK"/*/; do [ -d "$d" ] && remove_root "${d%/}" 2>/dev/null || true; done
    rm -rf --one-file-system "$WORK" 2>/dev/null || true
}
trap cleanup EXIT
trap 'say "interrupted: stopping the builds and removing $WORK"; exit 130' INT TERM
[ ! -d "$WORK" ] || cleanup
mkdir -p "$WORK"

RUN_START=$SECONDS
pick_mirror
[ -s "$BASE_TAR" ] || make_base_tar
prepare_base

declare -A MAJOR DIGEST
TODO=()
if [ "$MIRROR_OK" = 1 ]; then
    # what apt would install now, for each image at once
    for name in "${WANT[@]}"; do predict_packages "$name" >"$WORK/$name.predicted" & done
    wait
fi
for name in "${WANT[@]}"; do
    DIGEST[$name]=$(script_digest "$name")
    if [ "$MIRROR_OK" = 0 ]; then
        # the mirror is out of reach: images built by this very script are kept as they are
        tag=$(docker image ls --format '{{.Repository}}:{{.Tag}}' "ordo-real/$name" | grep -v ':latest$' | head -1 || true)
        if [ -n "$tag" ] && [ "$(label_of "$tag" script)" = "${DIGEST[$name]}" ]; then
            echo "ordo-real/$name: $tag kept: the mirror did not answer, so package updates were not checked"
            continue
        fi
        die "image $name: apt-get update failed in the base (log: $LOGS/base-update.log) and no built image can stand in; fix: check that $MIRROR answers from this machine, then run again"
    fi
    main_pkg=$(image_packages "$name" | awk '{print $1}')
    packages=$(cat "$WORK/$name.predicted")
    version=$(tr ',' '\n' <<<"$packages" | sed -n "s/^$main_pkg=//p")
    [ -n "$version" ] || die "image $name: the mirror offers no installable $main_pkg (log: $LOGS/$name.predict.log); fix: check the sources in /etc/apt/sources.list(.d) name Debian $SUITE main"
    MAJOR[$name]=$(version_tag "$version" "$(tag_parts "$name")")
    tag="ordo-real/$name:${MAJOR[$name]}"
    if [ "$FORCE" = 0 ] && [ "$(labels_of "$tag")" = "$packages|$BASE_DIGEST|${DIGEST[$name]}" ]; then
        docker tag "$tag" "ordo-real/$name:latest"
        echo "$tag ($main_pkg=$version): up to date"
        continue
    fi
    TODO+=("$name")
done

if [ "${#TODO[@]}" -gt 0 ]; then
    say "building ${TODO[*]} (logs: $LOGS/<name>.log)"
    running=0
    for name in "${TODO[@]}"; do
        if [ "$running" -ge "$JOBS" ]; then
            wait -n || true
            running=$((running - 1))
        fi
        (build_one "$name" "${MAJOR[$name]}" "${DIGEST[$name]}") &
        running=$((running + 1))
    done
    wait || true
    failed=0
    for name in "${TODO[@]}"; do
        tag="ordo-real/$name:${MAJOR[$name]}"
        result=$(cat "$WORK/$name.result" 2>/dev/null || echo "failed|unknown")
        case $result in
            built\|*)
                main_pkg=$(image_packages "$name" | awk '{print $1}')
                version=$(label_of "$tag" packages | tr ',' '\n' | sed -n "s/^$main_pkg=//p")
                echo "$tag ($main_pkg=$version): built in ${result#built|} s"
                ;;
            *)
                step=${result#failed|}
                failed=1
                tail -15 "$LOGS/$name.log" | sed 's/^/    /' >&2
                say "ERROR: image $name ($tag): step '$step' failed (log: $LOGS/$name.log); fix: $(fix_for "$name" "$step")"
                ;;
        esac
    done
    [ "$failed" = 0 ] || exit 1
fi
# .debs not used for a month go (the hard links in the images' build roots are gone by now); so do earlier builds of
# these images that no container, running or stopped, still uses (docker refuses to remove the others)
find "$DEBS" -name '*.deb' -mtime +30 -delete 2>/dev/null || true
for id in $(docker image ls -q --filter dangling=true --filter "label=$LABEL.name"); do
    docker image rm "$id" >/dev/null 2>&1 || true
done
say "done in $((SECONDS - RUN_START)) s"
