/* Internal: the thread-local last-error message behind pt_last_error(). */
#ifndef PT_ERROR_H
#define PT_ERROR_H

#include "panoptim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Record a printf-style message for this thread and return status, so call sites read
 * `return pt_fail(PT_ERR_INVALID_ARGUMENT, "lr must be >= 0, got %g", lr);` */
int pt_fail(int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* `PT_TRY(check(...));` returns the status from the enclosing function unless it is PT_OK. */
#define PT_TRY(call)                          \
    do {                                      \
        const int pt_try_ = (call);           \
        if (pt_try_ != PT_OK) return pt_try_; \
    } while (0)

#ifdef __cplusplus
}
#endif

#endif
