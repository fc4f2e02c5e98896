// pt_sim::launch<kernel>(grid, block, smem, stream, args...): what pt_launch does on the simulator.
// Like a CUDA launch it copies the arguments (converted to the kernel's parameter types) and
// returns at once; the grid runs when its stream is synchronized. Before queueing it checks what a
// GPU would reject or fault on: the configuration against sm_90's limits, and every pointer
// argument (raw pointers, and the pointers a struct argument lists in for_each_device_pointer)
// against the registered device allocations.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "types.h"
#include "vector_types.h"

namespace pt_sim {

struct KernelLaunch {
    const char *name;
    const void *kernel;
    dim3 grid, block;
    size_t dynamic_shared;
    size_t param_bytes;
    std::function<void()> run_thread;  // runs the kernel body for the current simulated thread
    // At a graph replay: checks the raw pointer arguments again (memory freed since the capture).
    std::function<cudaError_t()> recheck_pointers;
};

// runtime/launch.cpp: records a detailed error (see cudaGetErrorString) and returns its code.
cudaError_t check_kernel_pointer(const char *kernel, int argument, const void *pointer, size_t bytes);
cudaError_t enqueue_launch(KernelLaunch &&launch, cudaStream_t stream);
void *dynamic_shared();
const char *intern_kernel_name(const char *pretty_function);

// The kernel's name, read from the compiler's spelling of this template's argument.
template <auto Kernel>
const char *kernel_name() {
    static const char *name = intern_kernel_name(__PRETTY_FUNCTION__);
    return name;
}

template <class T, class = void>
struct lists_device_pointers : std::false_type {};
template <class T>
struct lists_device_pointers<T, decltype(std::declval<const T &>().for_each_device_pointer(
                                              std::declval<void (*)(const void *, size_t)>()))> : std::true_type {};

struct ArgumentCheck {
    const char *kernel;
    bool raw_pointers_only = false;  // a struct's listed pointers may point into host memory gone since
    cudaError_t error = cudaSuccess;
    int index = 0;

    template <class T>
    void operator()(const T &argument) {
        if (error == cudaSuccess) {
            if constexpr (std::is_pointer<T>::value) {
                error = check_kernel_pointer(kernel, index, reinterpret_cast<const void *>(argument), 0);
            } else if constexpr (lists_device_pointers<T>::value) {
                if (raw_pointers_only) {
                    index++;
                    return;
                }
                argument.for_each_device_pointer([this](const void *p, size_t bytes) {
                    if (error == cudaSuccess) error = check_kernel_pointer(kernel, index, p, bytes);
                });
            }
        }
        index++;
    }
};

// CUDA lays the parameters out with their natural alignment; 32764 bytes in all on sm_90.
template <class... P>
constexpr size_t param_bytes() {
    size_t offset = 0;
    ((offset = (offset + alignof(P) - 1) / alignof(P) * alignof(P) + sizeof(P)), ...);
    return offset;
}

template <class... P>
struct Params {};
template <class R, class... P>
Params<P...> params_of(R (*)(P...));

template <auto Kernel, class... P, class... Args>
cudaError_t launch_with(Params<P...>, dim3 grid, dim3 block, size_t smem, cudaStream_t stream, Args &&...args) {
    static_assert(sizeof...(P) == sizeof...(Args), "pt_launch: the number of arguments differs from the kernel's parameters");
    using Tuple = std::tuple<typename std::remove_cv<P>::type...>;
    auto params = std::make_shared<Tuple>(std::forward<Args>(args)...);
    ArgumentCheck check{kernel_name<Kernel>()};
    std::apply([&check](const auto &...a) { (check(a), ...); }, *params);
    if (check.error != cudaSuccess) return check.error;
    KernelLaunch launch{kernel_name<Kernel>(), reinterpret_cast<const void *>(Kernel), grid, block, smem,
                        param_bytes<typename std::remove_cv<P>::type...>(),
                        [params]() { std::apply(Kernel, *params); },
                        [params]() {
                            ArgumentCheck again{kernel_name<Kernel>(), true};
                            std::apply([&again](const auto &...a) { (again(a), ...); }, *params);
                            return again.error;
                        }};
    return enqueue_launch(std::move(launch), stream);
}

template <auto Kernel, class... Args>
cudaError_t launch(dim3 grid, dim3 block, size_t smem, cudaStream_t stream, Args &&...args) {
    return launch_with<Kernel>(decltype(params_of(Kernel)){}, grid, block, smem, stream, std::forward<Args>(args)...);
}

}  // namespace pt_sim
