// Finding and loading cuBLAS and cuDNN at run time (dlopen), and the per-device handles of each.
// libpanoptim links neither: a machine without them runs the own backend as before, and the vendor
// backend fails with PT_ERR_UNSUPPORTED saying where it looked (never a crash, never at load time).
//
// Where a library is looked for, in order (the first file that loads wins):
//  1. PANOPTIM_CUBLAS_PATH / PANOPTIM_CUDNN_PATH: the library file itself, or a folder holding it;
//  2. the bare soname through the dynamic loader (LD_LIBRARY_PATH, the executable's rpath, ldconfig);
//  3. the CUDA toolkit's folders and the folders of NVIDIA's Python wheels (site-packages/nvidia/*/lib:
//     torch's nvidia-cublas and nvidia-cudnn-cu13 put them there, and nothing else tells C about them).
// cuBLAS needs cuBLASLt beside it: when cuBLAS is loaded from a folder, that folder's cuBLASLt is
// loaded first, so the pair matches even if the loader's path holds another version.
#include "cuda/vendor/vendor_support.cuh"

#include <dlfcn.h>
#include <glob.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <string>
#include <vector>

namespace {

constexpr int kMaxDevices = 64;

struct Library {
    const char *label;               // "cuBLAS"
    const char *env;                 // its override variable
    std::vector<const char *> names; // sonames, preferred first
    std::vector<std::vector<const char *>> deps;  // per name, libraries to load first from the same folder
    bool tried = false;
    void *handle = nullptr;
    std::string path;   // the file loaded
    std::string error;  // why not, when handle is NULL
};

Library g_cublas_lib{"cuBLAS", "PANOPTIM_CUBLAS_PATH", {"libcublas.so.13", "libcublas.so.12"},
                     {{"libcublasLt.so.13"}, {"libcublasLt.so.12"}}};
// libcudnn.so.9 is a shim that loads its sub-libraries by soname when first needed; loaded here first
// from the shim's folder, they are found there even when no loader path names that folder.
Library g_cudnn_lib{"cuDNN", "PANOPTIM_CUDNN_PATH", {"libcudnn.so.9"},
                    {{"libcudnn_graph.so.9", "libcudnn_ops.so.9", "libcudnn_cnn.so.9", "libcudnn_heuristic.so.9",
                      "libcudnn_engines_precompiled.so.9", "libcudnn_engines_runtime_compiled.so.9"}}};
PtCublas g_cublas;
PtCudnn g_cudnn;
std::mutex g_load_mutex;  // guards the two Library records and the tables
std::mutex g_call_mutex;  // held by each vendor call (PtBlasCall::lock, PtDnnCall::lock)
cublasHandle_t g_blas_handles[kMaxDevices];
cudnnHandle_t g_dnn_handles[kMaxDevices];

// The folders searched after the loader's own path. Wheels: system Pythons, venvs under /opt (the
// GPU machine's torch lives in /opt/torch/.venv) and the active virtualenv.
std::vector<std::string> search_folders() {
    std::vector<std::string> folders = {"/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib",
                                        "/usr/lib/x86_64-linux-gnu"};
    std::vector<std::string> patterns = {"/usr/local/lib/python3*/dist-packages/nvidia/*/lib",
                                         "/usr/local/lib/python3*/site-packages/nvidia/*/lib",
                                         "/usr/lib/python3/dist-packages/nvidia/*/lib",
                                         "/opt/*/.venv/lib/python3*/site-packages/nvidia/*/lib",
                                         "/opt/*/lib/python3*/site-packages/nvidia/*/lib"};
    if (const char *venv = getenv("VIRTUAL_ENV"); venv != nullptr && venv[0] != '\0')
        patterns.push_back(std::string(venv) + "/lib/python3*/site-packages/nvidia/*/lib");
    for (const std::string &p : patterns) {
        glob_t g;
        if (glob(p.c_str(), GLOB_ONLYDIR, nullptr, &g) == 0)
            for (size_t i = 0; i < g.gl_pathc; i++) folders.push_back(g.gl_pathv[i]);
        globfree(&g);
    }
    return folders;
}

bool is_folder(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_file(const std::string &path) {
    struct stat st;
    return stat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode);
}

// dlopen of one candidate; a file that exists but does not load is remembered with dlerror's words
// (a missing dependency, a wrong architecture), which the final message then shows.
void *try_open(const std::string &file, const std::vector<const char *> &deps_in_folder, bool bare,
               std::string &failures) {
    if (!bare && !is_file(file)) return nullptr;
    if (!bare) {
        // Loaded lazily and globally; a failure here shows when the library itself loads or runs.
        for (const char *name : deps_in_folder) {
            std::string dep = file.substr(0, file.rfind('/') + 1) + name;
            if (is_file(dep)) dlopen(dep.c_str(), RTLD_LAZY | RTLD_GLOBAL);
        }
    }
    void *h = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr && !bare) {
        const char *why = dlerror();
        failures += "; " + file + " exists but did not load: " + (why ? why : "unknown reason");
    }
    return h;
}

// The path dlopen really used (for a bare soname, the loader chose it): the link map's name.
std::string loaded_path(void *handle, const std::string &fallback) {
    struct link_map *map = nullptr;
    if (dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map != nullptr && map->l_name != nullptr && map->l_name[0] != '\0')
        return map->l_name;
    return fallback;
}

// Loads `lib` once; called with g_load_mutex held. Returns true when it is loaded.
bool load_locked(Library &lib) {
    if (lib.tried) return lib.handle != nullptr;
    lib.tried = true;
    std::string failures;
    const char *override_path = getenv(lib.env);
    const bool has_override = override_path != nullptr && override_path[0] != '\0';
    // 1. the override: a file, or a folder of the sonames
    if (has_override) {
        if (is_folder(override_path)) {
            for (size_t i = 0; i < lib.names.size() && lib.handle == nullptr; i++)
                lib.handle = try_open(std::string(override_path) + "/" + lib.names[i], lib.deps[i], false, failures);
        } else {
            lib.handle = try_open(override_path, lib.deps[0], false, failures);
            if (lib.handle == nullptr && !is_file(override_path))
                failures += std::string("; ") + lib.env + "=" + override_path + " is neither a file nor a folder";
        }
    }
    // 2. the loader's own search
    for (size_t i = 0; i < lib.names.size() && lib.handle == nullptr; i++)
        lib.handle = try_open(lib.names[i], {}, true, failures);
    // 3. the usual folders
    std::vector<std::string> folders = search_folders();
    for (const std::string &folder : folders)
        for (size_t i = 0; i < lib.names.size() && lib.handle == nullptr; i++)
            lib.handle = try_open(folder + "/" + lib.names[i], lib.deps[i], false, failures);
    if (lib.handle != nullptr) {
        lib.path = loaded_path(lib.handle, lib.names[0]);
        return true;
    }
    std::string names;
    for (const char *n : lib.names) names += (names.empty() ? "" : " or ") + std::string(n);
    const char *ld = getenv("LD_LIBRARY_PATH");
    std::string where = std::string(lib.env) + " (" + (has_override ? override_path : "unset") +
                        "), the dynamic loader's path (LD_LIBRARY_PATH=" + (ld && ld[0] ? ld : "unset") + ", ldconfig)";
    for (const std::string &f : folders) where += ", " + f;
    where += " and the Python wheels' folders site-packages/nvidia/*/lib of /usr/local/lib/python3*, /opt/*/.venv, $VIRTUAL_ENV";
    lib.error = std::string(lib.label) + " not found: looked for " + names + " in " + where + failures + "; set " +
                lib.env + " or LD_LIBRARY_PATH";
    return false;
}

// Resolves every function of a table; a missing one makes the library unusable, named in the error.
template <class Table>
bool resolve_locked(Library &lib, Table &table, const char *const *symbols, void **slots, int count) {
    for (int i = 0; i < count; i++) {
        slots[i] = dlsym(lib.handle, symbols[i]);
        if (slots[i] == nullptr) {
            lib.error = std::string(lib.label) + " at " + lib.path + " lacks " + symbols[i] +
                        " (too old a version?); set " + lib.env + " to another";
            lib.handle = nullptr;
            return false;
        }
    }
    return true;
}

#define PT_VENDOR_NAME(ret, name, params) #name,
#define PT_VENDOR_SLOT(ret, name, params) reinterpret_cast<void **>(&table.name),
bool load_cublas_locked() {
    if (g_cublas_lib.tried) return g_cublas_lib.handle != nullptr;
    if (!load_locked(g_cublas_lib)) return false;
    static const char *const symbols[] = {PT_CUBLAS_FUNCTIONS(PT_VENDOR_NAME)};
    PtCublas &table = g_cublas;
    void **slots[] = {PT_CUBLAS_FUNCTIONS(PT_VENDOR_SLOT)};
    const int count = (int)(sizeof symbols / sizeof symbols[0]);
    void *found[sizeof symbols / sizeof symbols[0]];
    if (!resolve_locked(g_cublas_lib, table, symbols, found, count)) return false;
    for (int i = 0; i < count; i++) *slots[i] = found[i];
    return true;
}
bool load_cudnn_locked() {
    if (g_cudnn_lib.tried) return g_cudnn_lib.handle != nullptr;
    if (!load_locked(g_cudnn_lib)) return false;
    static const char *const symbols[] = {PT_CUDNN_FUNCTIONS(PT_VENDOR_NAME)};
    PtCudnn &table = g_cudnn;
    void **slots[] = {PT_CUDNN_FUNCTIONS(PT_VENDOR_SLOT)};
    const int count = (int)(sizeof symbols / sizeof symbols[0]);
    void *found[sizeof symbols / sizeof symbols[0]];
    if (!resolve_locked(g_cudnn_lib, table, symbols, found, count)) return false;
    for (int i = 0; i < count; i++) *slots[i] = found[i];
    return true;
}
#undef PT_VENDOR_NAME
#undef PT_VENDOR_SLOT

// PANOPTIM_CUDA_VENDOR_TF32=1 lets cuBLAS and cuDNN use TF32 tensor cores (10-bit mantissa products,
// about 1e-3 relative error); off by default so that results compare with the own kernels' fp32.
bool tf32_allowed() {
    const char *v = getenv("PANOPTIM_CUDA_VENDOR_TF32");
    return v != nullptr && strcmp(v, "1") == 0;
}

// The current device and panoptim's stream there, and the check of the call's pointers.
int begin_device(const char *op, const char *const *names, const void *const *ptrs, int count, int *index,
                 cudaStream_t *stream) {
    const int s = pt_cuda_current(index, stream);
    if (s != PT_OK) {
        char why[512];  // pt_last_error's buffer is the one pt_fail writes
        snprintf(why, sizeof why, "%s", pt_last_error());
        return pt_fail(s, "%s: %s", op, why);
    }
    if (*index >= kMaxDevices)
        return pt_fail(PT_ERR_UNSUPPORTED, "%s: the vendor backend handles devices cuda:0..cuda:%d only", op,
                       kMaxDevices - 1);
    pt_cuda_list lists[8];
    if (count > 8) count = 8;
    for (int i = 0; i < count; i++) lists[i] = pt_cuda_list{names[i], &ptrs[i], false};
    return pt_cuda_check_lists(op, *index, 0, nullptr, lists, count);
}

}  // namespace

int pt_vendor_check_int(const char *op, const char *what, int64_t v) {
    if (v > INT_MAX)
        return pt_fail(PT_ERR_UNSUPPORTED, "%s: %s = %lld is beyond what cuBLAS/cuDNN take (%d); use the own backend",
                       op, what, (long long)v, INT_MAX);
    return PT_OK;
}

int pt_vendor_begin_blas(const char *op, const char *const *names, const void *const *ptrs, int count, PtBlasCall *call) {
    call->lock = std::unique_lock<std::mutex>(g_call_mutex);
    {
        std::lock_guard<std::mutex> lock(g_load_mutex);
        if (!load_cublas_locked()) return pt_fail(PT_ERR_UNSUPPORTED, "%s: %s", op, g_cublas_lib.error.c_str());
    }
    call->f = &g_cublas;
    int s = begin_device(op, names, ptrs, count, &call->index, &call->stream);
    if (s != PT_OK) return s;
    cublasHandle_t &h = g_blas_handles[call->index];
    if (h == nullptr) {
        // Created on the current device (pt_cuda_current made it current); kept for the process.
        PT_CUBLAS_TRY(*call, op, g_cublas.cublasCreate_v2(&h));
        // fp32 products and sums on the FMA units, as the own kernels compute them.
        PT_CUBLAS_TRY(*call, op,
                      g_cublas.cublasSetMathMode(h, tf32_allowed() ? PT_CUBLAS_TF32_TENSOR_OP_MATH : PT_CUBLAS_PEDANTIC_MATH));
    }
    call->handle = h;
    PT_CUBLAS_TRY(*call, op, g_cublas.cublasSetStream_v2(h, call->stream));
    return PT_OK;
}

int pt_vendor_begin_dnn(const char *op, const char *const *names, const void *const *ptrs, int count, PtDnnCall *call) {
    call->lock = std::unique_lock<std::mutex>(g_call_mutex);
    {
        std::lock_guard<std::mutex> lock(g_load_mutex);
        if (!load_cudnn_locked()) return pt_fail(PT_ERR_UNSUPPORTED, "%s: %s", op, g_cudnn_lib.error.c_str());
    }
    call->f = &g_cudnn;
    int s = begin_device(op, names, ptrs, count, &call->index, &call->stream);
    if (s != PT_OK) return s;
    cudnnHandle_t &h = g_dnn_handles[call->index];
    if (h == nullptr) PT_CUDNN_TRY(*call, op, g_cudnn.cudnnCreate(&h));
    call->handle = h;
    PT_CUDNN_TRY(*call, op, g_cudnn.cudnnSetStream(h, call->stream));
    return PT_OK;
}

int pt_vendor_dnn_math_type(void) { return tf32_allowed() ? PT_CUDNN_TENSOR_OP_MATH : PT_CUDNN_FMA_MATH; }

int pt_cublas_fail(const PtBlasCall &call, const char *op, const char *what, cublasStatus_t status) {
    const char *words = call.f != nullptr ? call.f->cublasGetStatusString(status) : "?";
    return pt_fail(status == 3 /* CUBLAS_STATUS_ALLOC_FAILED */ ? PT_ERR_OUT_OF_MEMORY : PT_ERR_DEVICE,
                   "%s: cuBLAS %s failed: %s (status %d)", op, what, words ? words : "?", status);
}

int pt_cudnn_fail(const PtDnnCall &call, const char *op, const char *what, cudnnStatus_t status) {
    const char *words = call.f != nullptr ? call.f->cudnnGetErrorString(status) : "?";
    return pt_fail(PT_ERR_DEVICE, "%s: cuDNN %s failed: %s (status %d)", op, what, words ? words : "?", status);
}

extern "C" void pt_vendor_describe(char *buf, int64_t capacity) {
    std::lock_guard<std::mutex> lock(g_load_mutex);
    std::string text;
    if (load_cublas_locked()) {
        int major = 0, minor = 0, patch = 0;
        g_cublas.cublasGetProperty(PT_LIBRARY_MAJOR_VERSION, &major);
        g_cublas.cublasGetProperty(PT_LIBRARY_MINOR_VERSION, &minor);
        g_cublas.cublasGetProperty(PT_LIBRARY_PATCH_LEVEL, &patch);
        char line[1024];
        snprintf(line, sizeof line, "cuBLAS: %d.%d.%d (%s)\n", major, minor, patch, g_cublas_lib.path.c_str());
        text += line;
    } else {
        text += "cuBLAS: unavailable: " + g_cublas_lib.error + "\n";
    }
    if (load_cudnn_locked()) {
        // cuDNN 9 encodes its version as major * 10000 + minor * 100 + patch.
        size_t v = g_cudnn.cudnnGetVersion();
        char line[1024];
        snprintf(line, sizeof line, "cuDNN: %zu.%zu.%zu (%s)\n", v / 10000, (v % 10000) / 100, v % 100,
                 g_cudnn_lib.path.c_str());
        text += line;
    } else {
        text += "cuDNN: unavailable: " + g_cudnn_lib.error + "\n";
    }
    text += std::string("math: ") + (tf32_allowed() ? "TF32 allowed (PANOPTIM_CUDA_VENDOR_TF32=1)" : "fp32 (no TF32)") + "\n";
    snprintf(buf, (size_t)capacity, "%s", text.c_str());
}
