/* The thread-local last-error message: one buffer per thread, overwritten by each failure. */
#include <stdarg.h>
#include <stdio.h>

#include "api/error.h"

static _Thread_local char last_error[512];

int pt_fail(int status, const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, args);
    va_end(args);
    return status;
}

const char *pt_last_error(void) { return last_error; }

void pt_clear_error(void) { last_error[0] = '\0'; }
