// Checks shared by the simulator's self-tests (test_cudasim.cu, test_cudasim_graph.cu): CHECK
// prints file:line and the message of a failed condition and counts it; main returns non-zero
// when `failures` is.
#pragma once

#include <cstdio>
#include <string>

static int failures = 0;
#define CHECK(cond, ...)                                    \
    do {                                                    \
        if (!(cond)) {                                      \
            failures++;                                     \
            std::printf("FAIL %s:%d: ", __FILE__, __LINE__); \
            std::printf(__VA_ARGS__);                       \
            std::printf("\n");                              \
        }                                                   \
    } while (0)

static bool contains(const char *text, const char *part) { return std::string(text).find(part) != std::string::npos; }
