# Sourced (bash) by ./ghn4j and environment/install-kernel.sh: the native allocator ghn4j's JVMs run with.
#
# PyTorch's CPU tensors come from malloc. Two things decide how fast and how big a ghn4j JVM is:
#  - glibc's malloc fragments under meta-training (activations of tens of MB whose sizes change with every sampled
#    net): freed memory stays resident and RSS keeps growing (meta-batch 2: 2.5 GB after 10 steps, +30 MB/step);
#  - every page the process gets anew from the kernel costs a page fault, and on this VM a fault costs ~42 us (a
#    4 MB tensor: 40 ms, ~50x its compute). An allocator that hands freed memory back to the kernel at once turns
#    every new activation into faults: ResNet-50's forward (batch 64, 32x32) took 40 s with jemalloc purging after
#    1 s and with glibc's default, 4.4 s with freed pages kept for 30 s (same load).
# So: jemalloc (Debian: libjemalloc2, installed by environment/setup.sh) when installed, keeping freed pages for 30 s
# (dirty and muzzy decay) so that the next step reuses them, handing them back when the JVM idles (a notebook kernel
# between cells); oversize_threshold:0 keeps large tensors (> 8 MB) in the normal arenas, whose decay applies —
# jemalloc's default gives them an arena that purges at once. GHN4J_MALLOC=glibc keeps glibc's malloc; a MALLOC_CONF
# set by the user wins.
GHN4J_MALLOC_CONF_DEFAULT="background_thread:true,dirty_decay_ms:30000,muzzy_decay_ms:30000,oversize_threshold:0"

# Prints the jemalloc shared library to preload, or nothing (GHN4J_MALLOC=glibc, or jemalloc not installed).
ghn4j_jemalloc() {
  [ "${GHN4J_MALLOC:-jemalloc}" = jemalloc ] || return 0
  for lib in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2 \
      /usr/lib64/libjemalloc.so.2 /usr/lib/libjemalloc.so.2; do
    if [ -f "$lib" ]; then
      printf '%s\n' "$lib"
      return 0
    fi
  done
}
