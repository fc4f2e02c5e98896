/*
 * For the C tests of error paths (test_*_invalid.c): EXPECT checks a call's status and that
 * pt_last_error() names the problem, plus short names for the statuses and devices they use.
 */
#ifndef PT_TEST_EXPECT_ERROR_H
#define PT_TEST_EXPECT_ERROR_H

#include <string.h>

#include "panoptim.h"
#include "test_support.h"

/* Runs `call` on a cleared error and checks its status and that the message mentions `needle`. */
#define EXPECT(want, needle, call)                                                                  \
    do {                                                                                            \
        pt_clear_error();                                                                           \
        const int got_ = (call);                                                                    \
        const char *msg_ = pt_last_error();                                                         \
        CHECK(got_ == (want), "%s: status %d, want %d (message \"%s\")", #call, got_, (want), msg_); \
        if ((want) != PT_OK) {                                                                      \
            CHECK(msg_ != NULL && msg_[0] != '\0', "%s: empty pt_last_error()", #call);             \
            CHECK(msg_ != NULL && strstr(msg_, needle) != NULL, "%s: message \"%s\" lacks \"%s\"",  \
                  #call, msg_, needle);                                                             \
        }                                                                                           \
    } while (0)

#define INVALID PT_ERR_INVALID_ARGUMENT
#define UNSUPPORTED PT_ERR_UNSUPPORTED
#define OOM PT_ERR_OUT_OF_MEMORY
#define CPU PT_DEVICE_CPU
#define CUDA PT_DEVICE_CUDA

#endif
