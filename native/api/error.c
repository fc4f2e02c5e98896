/* The thread-local last-error message: one buffer per thread, overwritten by each failure. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api/error.h"

static _Thread_local char last_error[512];

/* Formats into a local buffer first: a caller may pass pt_last_error() itself as an argument (to
 * wrap an inner failure's message), and vsnprintf into the buffer it reads from is undefined. */
int pt_fail(int status, const char *fmt, ...) {
    char message[sizeof last_error];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    memcpy(last_error, message, sizeof message);
    return status;
}

const char *pt_last_error(void) { return last_error; }

void pt_clear_error(void) { last_error[0] = '\0'; }
