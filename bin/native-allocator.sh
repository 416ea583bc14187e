# Sourced by bin/vaegan and deploy/local/submit.sh: chooses the C allocator of ND4J's native arrays.
#
# One paper-64 training step allocates about 12 GB in 32-134 MiB arrays and frees them again.
# glibc maps every such array fresh from the kernel, which faults and zeroes it page by page (a
# quarter of the process's CPU time, 3 million page faults a step). jemalloc keeps freed pages and
# hands them out again (README, Memory and Measured).
#
# VAEGAN_ALLOCATOR: auto (default: jemalloc where libjemalloc.so.2 is installed, else glibc with a
# note), jemalloc (stop if it is missing), glibc. VAEGAN_JEMALLOC: the library's path, if elsewhere.
# MALLOC_CONF, if set, replaces the jemalloc settings below. narenas:4 because jemalloc gives a
# process that sees one CPU (a 1-core container) a single arena, and with one arena it reused
# nothing: 12 M page faults in 4 paper-64 steps on one core, 2.7 M with four arenas.
VAEGAN_JEMALLOC_CONF="narenas:4,oversize_threshold:0,dirty_decay_ms:5000,muzzy_decay_ms:0,background_thread:true"

vaegan_find_jemalloc() {
  if [ -n "${VAEGAN_JEMALLOC:-}" ]; then
    [ -f "$VAEGAN_JEMALLOC" ] && echo "$VAEGAN_JEMALLOC"
    return 0
  fi
  local dir
  for dir in /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/lib64 /usr/lib /usr/local/lib; do
    if [ -f "$dir/libjemalloc.so.2" ]; then
      echo "$dir/libjemalloc.so.2"
      return 0
    fi
  done
}

# Exports LD_PRELOAD and MALLOC_CONF (jemalloc) or MALLOC_MMAP_THRESHOLD_ (glibc); returns 2 with
# an error on stderr when the choice cannot be honoured.
vaegan_choose_allocator() {
  local mode="${VAEGAN_ALLOCATOR:-auto}" lib
  # glibc's setting applies whenever jemalloc is not preloaded: arrays over 1 MiB go back to the
  # OS when freed instead of fragmenting its arenas (resident memory crept up every round).
  export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-1048576}"
  case "$mode" in
    glibc) return 0 ;;
    auto | jemalloc) ;;
    *)
      echo "error: VAEGAN_ALLOCATOR=$mode: expected auto, jemalloc or glibc" >&2
      return 2
      ;;
  esac
  case "${LD_PRELOAD:-}" in
    *libjemalloc*) lib=preloaded ;;
    *) lib="$(vaegan_find_jemalloc)" ;;
  esac
  if [ -z "$lib" ]; then
    if [ "$mode" = jemalloc ]; then
      echo "error: VAEGAN_ALLOCATOR=jemalloc, but libjemalloc.so.2 was not found${VAEGAN_JEMALLOC:+ at VAEGAN_JEMALLOC=$VAEGAN_JEMALLOC}" \
        "(apt-get install libjemalloc2, or set VAEGAN_JEMALLOC to the library's path)" >&2
      return 2
    fi
    echo "vaegan: libjemalloc.so.2 not found: ND4J's arrays use glibc's malloc, and training steps run" \
      "about 1.3x slower (apt-get install libjemalloc2; VAEGAN_ALLOCATOR=glibc hides this note)" >&2
    return 0
  fi
  if [ "$lib" != preloaded ]; then
    export LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"
  fi
  export MALLOC_CONF="${MALLOC_CONF:-$VAEGAN_JEMALLOC_CONF}"
}
