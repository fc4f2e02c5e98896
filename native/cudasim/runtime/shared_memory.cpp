// Static __shared__ memory: cuda_runtime.h declares every `__shared__` variable thread_local in
// the pt_shared section, so each OS thread (which runs one block at a time, with all of its
// fibers) has its own copy, and the copy of every kernel's shared variables is one contiguous
// range of this thread's TLS block. Finding that range lets the scheduler poison all static shared
// memory at each block's start: a read before any write then sees NaN, as garbage on a GPU would
// be, instead of the previous block's data (numba) or zeros (CuPBoP).
#include <link.h>

#include "runtime.h"

// Defined by the linker for the pt_shared section (absent, hence weak, when no kernel has any).
extern "C" char __start_pt_shared[] __attribute__((weak, visibility("hidden")));
extern "C" char __stop_pt_shared[] __attribute__((weak, visibility("hidden")));

namespace pt_sim {
namespace {
thread_local volatile char tls_anchor;  // touching it makes sure this thread's TLS block exists
thread_local char *shared_range = nullptr;

struct Search {
    uintptr_t code;  // an address inside this module
    char *tls_data = nullptr;
    uintptr_t tls_vaddr = 0;
    bool found = false;
};

int find_module(struct dl_phdr_info *info, size_t, void *arg) {
    Search *s = static_cast<Search *>(arg);
    bool contains = false;
    uintptr_t tls_vaddr = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) &ph = info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + ph.p_vaddr;
        if (ph.p_type == PT_LOAD && s->code >= start && s->code < start + ph.p_memsz) contains = true;
        if (ph.p_type == PT_TLS) tls_vaddr = info->dlpi_addr + ph.p_vaddr;
    }
    if (!contains) return 0;
    s->tls_data = static_cast<char *>(info->dlpi_tls_data);
    s->tls_vaddr = tls_vaddr;
    s->found = true;
    return 1;
}
}  // namespace

size_t static_shared_bytes() {
    return __start_pt_shared == nullptr ? 0 : (size_t)(__stop_pt_shared - __start_pt_shared);
}

void poison_static_shared() {
    size_t bytes = static_shared_bytes();
    if (bytes == 0) return;
    if (shared_range == nullptr) {
        tls_anchor = 1;
        Search s{reinterpret_cast<uintptr_t>(&find_module)};
        dl_iterate_phdr(find_module, &s);
        if (!s.found || s.tls_data == nullptr)
            throw KernelFault(cudaErrorUnknown, "the simulator cannot find its static shared memory (this thread's TLS block)");
        shared_range = s.tls_data + (reinterpret_cast<uintptr_t>(__start_pt_shared) - s.tls_vaddr);
    }
    std::memset(shared_range, kPoisonByte, bytes);
}
}  // namespace pt_sim
